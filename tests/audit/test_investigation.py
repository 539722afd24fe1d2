import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import SecurityEvent
from background.factories import FingerprintCheckFactory
from certification.factories import SecurityAwarenessCompletionFactory

pytestmark = pytest.mark.django_db


def test_investigation_export_holds_the_record_and_history_and_is_logged(world, login, client):
    person = world.target
    FingerprintCheckFactory(person=person, submitted_on=datetime.date(2025, 2, 3))
    SecurityAwarenessCompletionFactory(person=person, completed_on=datetime.date(2026, 1, 5), tier=2)
    from state_access.factories import StateAccountFactory
    from validations.factories import ValidationEntryFactory

    StateAccountFactory(person=person, username="emp-webleds")
    ValidationEntryFactory(cycle__agency=world.agency, validator=person, nic="W314159265")
    person.position = "Dispatcher II"
    person._change_reason = "Promoted"
    person.save()
    login(world.users["leds_rep"])
    response = client.post(reverse("audit:investigation_export", args=[person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())
    for fact in ("Investigation record: Employee Tester", person.employee_id, "2025-02-03", "2026-01-05",
                 "Dispatcher II", "Promoted", "Change history", "Security log", "emp-webleds", "W314159265"):
        assert fact in text
    assert "Foreign" not in text
    # the record shows background-check outcomes: the LASO's filter for background reads finds it (R-BG-4)
    event = SecurityEvent.objects.filter(event=SecurityEvent.Kind.BACKGROUND_RECORD_READ).latest("occurred_at")
    assert event.details["action"] == "investigation_export" and event.details["person_id"] == person.pk
    assert event.details["view"] == "investigation_export" and f"person {person.pk}" in event.target
    assert not SecurityEvent.objects.filter(event=SecurityEvent.Kind.ADMIN_ACTION,
                                            details__action="investigation_export").exists()
    assert event.actor == world.users["leds_rep"] and event.agency == world.agency


def test_person_page_offers_the_export_to_the_leds_representative_only(world, login, client):
    url = reverse("people:detail", args=[world.target.pk])
    login(world.users["leds_rep"])
    assert "Export record as PDF" in client.get(url).content.decode()
    login(world.users["laso"])
    assert "Export record as PDF" not in client.get(url).content.decode()
