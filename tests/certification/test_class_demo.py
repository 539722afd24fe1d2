"""seed_demo shows in-house classes: results, passes waiting to be recorded in LEDS (one flagged), a roster, and a
class called off."""

import datetime

from certification.models import CertificationClass
from certification.selectors import unrecorded_passes
from demo.seed import seed_demo

TODAY = datetime.date(2026, 11, 23)


def test_demo_has_classes_with_results_and_unrecorded_passes(db, settings):
    from accounts.models import User

    settings.DEBUG = True
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=40, today=TODAY)
    agency = demo.agencies[0]
    classes = list(CertificationClass.objects.filter(agency=agency).order_by("held_on"))
    held, _recent, called_off, upcoming = classes
    assert called_off.is_cancelled and "drill" in called_off.cancel_reason
    assert held.enrollments.filter(result="pass", is_recorded_in_leds=True).count() == 2
    assert held.enrollments.filter(result="fail").exists()
    assert upcoming.enrollments.count() == 6 and upcoming.held_on > TODAY
    passes, _ = unrecorded_passes(user=User.objects.get(username="rep"), agency=agency, today=TODAY)
    assert any(p.is_late for p in passes) and not all(p.is_late for p in passes)
