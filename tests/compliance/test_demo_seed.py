"""seed_demo gives the demo dashboard something to show: every status, and people to suspend (issue 6)."""

import datetime

from compliance.selectors import dashboard
from demo.seed import seed_demo
from people.models import Person

TODAY = datetime.date(2026, 11, 23)


def test_demo_agency_shows_every_status_and_people_to_suspend(db, settings):
    from accounts.models import User

    settings.DEBUG = True  # the demo's second factors have a published secret
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=40, today=TODAY)
    agency = demo.agencies[0]
    data = dashboard(people=Person.objects.filter(agency=agency), agency=agency, today=TODAY)
    statuses = {status for counts in data.counts.values() for status, n in counts.items() if n}
    assert statuses == {"overdue", "due_soon", "open", "done", "not_required"}
    assert data.suspended_count > 0
