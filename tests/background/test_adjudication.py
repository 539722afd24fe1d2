"""Adjudication of fingerprint-based checks (R-BG-2) and who may read them (R-BG-4)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import SecurityEvent
from background.factories import FingerprintCheckFactory
from background.models import FingerprintCheck
from background.rules import allowed_outcomes
from background.services import adjudicate

D = datetime.date(2026, 11, 2)


@pytest.mark.parametrize(("current", "allowed"), [
    ("pending", ("cleared", "denied")),
    ("denied", ("exception_requested",)),
    ("exception_requested", ("exception_granted", "exception_refused")),
    ("cleared", ()), ("exception_granted", ()), ("exception_refused", ()),
])
def test_r_bg_2_adjudication_steps(current, allowed):
    assert allowed_outcomes(current) == allowed


def test_r_bg_2_cleared(world):
    check = adjudicate(check=FingerprintCheckFactory(person=world.target), outcome="cleared", on=D,
                       actor=world.users["laso"])
    assert check.is_cleared and check.result_on == D
    assert check.history.first().history_change_reason == "Adjudication: Cleared"


def test_r_bg_2_denial_needs_a_listed_reason_and_the_written_notice_date(world):
    check = FingerprintCheckFactory(person=world.target)
    with pytest.raises(ValidationError) as error:
        adjudicate(check=check, outcome="denied", on=D, actor=world.users["laso"])
    assert set(error.value.message_dict) == {"denial_reason", "notice_sent_on"}
    check = adjudicate(check=check, outcome="denied", on=D, actor=world.users["laso"],
                       denial_reason="current_prosecution", notice_sent_on=D)
    assert (check.outcome, check.denial_reason, check.denial_notice_sent_on) == ("denied", "current_prosecution", D)
    assert not check.is_cleared


def test_r_bg_2_exception_requested_then_granted_with_reference(world):
    check = FingerprintCheckFactory(person=world.target)
    adjudicate(check=check, outcome="denied", on=D, actor=world.users["laso"], denial_reason="fugitive",
               notice_sent_on=D)
    adjudicate(check=check, outcome="exception_requested", on=D, actor=world.users["laso"])
    with pytest.raises(ValidationError, match="authorization reference"):
        adjudicate(check=check, outcome="exception_granted", on=D, actor=world.users["laso"])
    check = adjudicate(check=check, outcome="exception_granted", on=D, actor=world.users["laso"],
                       reference="OSP-2026-114")
    assert check.is_cleared and check.exception_reference == "OSP-2026-114"


def test_r_bg_2_exception_refused_and_final_outcomes_cannot_change(world):
    check = FingerprintCheckFactory(person=world.target)
    adjudicate(check=check, outcome="denied", on=D, actor=world.users["laso"], denial_reason="fugitive",
               notice_sent_on=D)
    adjudicate(check=check, outcome="exception_requested", on=D, actor=world.users["laso"])
    check = adjudicate(check=check, outcome="exception_refused", on=D, actor=world.users["laso"], reference="R-9")
    assert not check.is_cleared
    with pytest.raises(ValidationError, match="final"):
        adjudicate(check=check, outcome="cleared", on=D, actor=world.users["laso"])


def test_database_refuses_a_denial_without_a_reason(world):
    from django.db import IntegrityError, transaction

    check = FingerprintCheckFactory(person=world.target)
    with pytest.raises(IntegrityError), transaction.atomic():
        FingerprintCheck.objects.filter(pk=check.pk).update(outcome="denied")


def test_r_bg_4_every_read_writes_exactly_one_security_log_row(world, login):
    FingerprintCheckFactory(person=world.target)
    client = login(world.users["laso"])
    before = SecurityEvent.objects.filter(event=SecurityEvent.Kind.BACKGROUND_RECORD_READ).count()
    response = client.get(reverse("background:person", args=[world.target.pk]))
    assert response.status_code == 200
    rows = SecurityEvent.objects.filter(event=SecurityEvent.Kind.BACKGROUND_RECORD_READ)
    assert rows.count() == before + 1
    assert str(world.target) in rows.order_by("-pk").first().target


@pytest.mark.parametrize("key", ["supervisor", "employee"])
def test_r_bg_4_supervisor_and_employee_are_refused_and_nothing_is_logged(world, login, key):
    FingerprintCheckFactory(person=world.target)
    response = login(world.users[key]).get(reverse("background:person", args=[world.target.pk]))
    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(event=SecurityEvent.Kind.BACKGROUND_RECORD_READ).exists()


def test_adjudicate_through_the_page(world, login):
    check = FingerprintCheckFactory(person=world.target)
    client = login(world.users["laso"])
    prefix = f"c{check.pk}"
    response = client.post(reverse("background:adjudicate", args=[check.pk]),
                           {f"{prefix}-outcome": "cleared", f"{prefix}-on": "2026-11-02"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.outcome == "cleared"
    body = client.get(reverse("background:person", args=[world.target.pk])).content.decode()
    assert "Cleared" in body
    auditor = login(world.users["agency_auditor"]).post(reverse("background:adjudicate", args=[check.pk]), {})
    assert auditor.status_code == 403


@pytest.mark.parametrize(("key", "rows"), [("agency_auditor", 1), ("laso", 1), ("supervisor", 0)])
def test_r_bg_4_history_page_showing_background_fields_writes_one_row(world, login, key, rows):
    check = FingerprintCheckFactory(person=world.target)
    adjudicate(check=check, outcome="denied", on=D, actor=world.users["laso"], denial_reason="fugitive",
               notice_sent_on=D)
    response = login(world.users[key]).get(reverse("people:history", args=[world.target.pk]))
    assert response.status_code == 200
    assert ("Fugitive" in response.content.decode()) is bool(rows)
    logged = SecurityEvent.objects.filter(event=SecurityEvent.Kind.BACKGROUND_RECORD_READ)
    assert logged.count() == rows
    if rows:
        assert logged.get().details == {"view": "history"}
