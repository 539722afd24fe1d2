"""R-BG-4: every route that shows background data writes a background_record_read row naming what was read."""

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent
from background.factories import FingerprintCheckFactory

pytestmark = pytest.mark.django_db
READ = SecurityEvent.Kind.BACKGROUND_RECORD_READ


def _reads():
    return list(SecurityEvent.objects.filter(event=READ).order_by("pk"))


def test_page_history_and_investigation_pdf_each_log_a_background_read(world, login):
    person = world.target
    FingerprintCheckFactory(person=person)
    client = login(world.users["leds_rep"])
    assert client.get(reverse("background:person", args=[person.pk])).status_code == 200
    assert client.get(reverse("people:history", args=[person.pk])).status_code == 200
    assert client.post(reverse("audit:investigation_export", args=[person.pk])).status_code == 200
    reads = _reads()
    assert [r.details["view"] for r in reads] == ["person", "history", "investigation_export"]
    assert all(f"person {person.pk}" in r.target and r.actor == world.users["leds_rep"] for r in reads)
    assert all(r.agency == world.agency for r in reads)
    assert not SecurityEvent.objects.filter(event=SecurityEvent.Kind.ADMIN_ACTION,
                                            details__action="investigation_export").exists()


def test_the_laso_filter_for_background_reads_finds_the_investigation_export(world, login):
    person = world.target
    FingerprintCheckFactory(person=person)
    login(world.users["leds_rep"]).post(reverse("audit:investigation_export", args=[person.pk]))
    laso = login(world.users["laso"])
    page = laso.get(reverse("accounts:security_log"), {"event": READ})
    assert page.status_code == 200
    assert "investigation record" in page.content.decode()


def test_a_foreign_agency_read_is_refused_and_not_logged(world, login):
    FingerprintCheckFactory(person=world.target)
    response = login(world.users["foreign"]).post(reverse("audit:investigation_export", args=[world.target.pk]))
    assert response.status_code == 404
    assert _reads() == []
