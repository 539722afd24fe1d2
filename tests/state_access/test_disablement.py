"""R-PE-3, R-AC-1: a person who must be suspended has their active accounts moved to "disable requested"."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from background.factories import FingerprintCheckFactory
from certification.factories import CertificationResultFactory, SecurityAwarenessCompletionFactory
from compliance.selectors import person_compliance
from state_access.factories import StateAccountFactory, state_system
from state_access.models import StateAccount
from state_access.services import request_disablement_of_accounts
from tests.conftest import refresh_compliance


def denied(person):
    FingerprintCheckFactory(person=person, submitted_on=datetime.date(2025, 1, 20), outcome="denied",
                            denial_reason="current_prosecution", result_on=datetime.date(2026, 11, 2))
    CertificationResultFactory(person=person, passed_on=datetime.date(2025, 6, 1))
    SecurityAwarenessCompletionFactory(person=person, completed_on=datetime.date(2026, 1, 6))


def accounts(person):
    active = [StateAccountFactory(person=person, system=state_system(name)) for name in ("WebLEDS", "nexTEST")]
    disabled = StateAccountFactory(person=person, system=state_system("CJIS Online"), status="disabled")
    return active, disabled


def test_r_ac_1_person_page_offers_request_disablement_of_n_accounts_and_one_post_moves_them(world, login):
    denied(world.target)
    active, disabled = accounts(world.target)
    refresh_compliance()  # the page reads the stored verdict (issue 23), as the refresh worker leaves it
    client = login(world.users["laso"])
    page = client.get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert "Request disablement of 2 accounts" in page and 'id="accounts-still-active"' in page
    confirm = client.get(reverse("background:request_disablements", args=[world.target.pk])).content.decode()
    assert "WebLEDS" in confirm and "nexTEST" in confirm and "CJIS Online" not in confirm
    response = client.post(reverse("background:request_disablements", args=[world.target.pk]))
    assert response.status_code == 302
    statuses = dict(StateAccount.objects.filter(person=world.target).values_list("pk", "status"))
    assert [statuses[a.pk] for a in active] == ["disable_requested", "disable_requested"]
    assert statuses[disabled.pk] == "disabled"
    step = StateAccount.objects.get(pk=active[0].pk)
    assert step.disable_requested_by == world.users["laso"]
    record = step.history.first()
    assert record.history_user == world.users["laso"]
    assert "must be suspended (R-BG-2)" in record.history_change_reason
    after = client.get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert "Request disablement" not in after


def test_r_ac_1_dashboard_red_flag_not_eligible_accounts_still_active(world, login):
    denied(world.target)
    accounts(world.target)
    refresh_compliance()  # the refresh worker's run after the commit (issue 23)
    body = login(world.users["leds_rep"]).get(reverse("compliance:dashboard")).content.decode()
    assert 'id="not-eligible-accounts-active"' in body and "not eligible, accounts still active" in body
    assert world.target.last_name in body


def test_r_pe_3_an_eligible_person_has_nothing_to_request(world):
    from background.factories import ClearedFingerprintCheckFactory

    person = world.target
    ClearedFingerprintCheckFactory(person=person)
    CertificationResultFactory(person=person, passed_on=datetime.date(2025, 6, 1))
    SecurityAwarenessCompletionFactory(person=person, completed_on=datetime.date(2026, 1, 6))
    from certification.factories import TrainingGuideIssueFactory

    TrainingGuideIssueFactory(person=person, issued_on=datetime.date(2025, 1, 8),
                              completed_on=datetime.date(2025, 2, 1))
    (active, _disabled) = accounts(person)
    verdict = person_compliance(person=person).verdict
    assert verdict.code == "eligible", verdict.reason_ids
    with pytest.raises(ValidationError, match="need not be suspended"):
        request_disablement_of_accounts(person=person, actor=world.users["leds_rep"], verdict=verdict)
    assert StateAccount.objects.get(pk=active[0].pk).status == "active"


def test_a_supervisor_cannot_request_disablement(world, login):
    denied(world.target)
    accounts(world.target)
    response = login(world.users["supervisor"]).post(
        reverse("background:request_disablements", args=[world.target.pk]))
    assert response.status_code == 403
    assert not StateAccount.objects.filter(person=world.target, status="disable_requested").exists()
