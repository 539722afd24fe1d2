"""The annual access review (R-AC-4) and password-reset assists (R-AC-5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from people.factories import PersonFactory
from state_access import services
from state_access.factories import StateAccountFactory, state_system
from state_access.models import AccessReview, PasswordResetAssist, StateAccount
from state_access.selectors import access_review_summary


def test_r_ac_4_review_lists_every_active_account_and_signed_review_is_read_only(world):
    rep = world.users["leds_rep"]
    keep = StateAccountFactory(person=world.target)
    drop = StateAccountFactory(person=PersonFactory(agency=world.agency))
    StateAccountFactory(person=PersonFactory(agency=world.agency), status="requested")  # not active: not listed
    StateAccountFactory(person=world.foreign_person)  # another agency
    review = services.start_access_review(agency=world.agency, actor=rep)
    items = {item.account_id: item for item in review.items.all()}
    assert set(items) == {keep.pk, drop.pk}
    with pytest.raises(ValidationError, match="already open"):
        services.start_access_review(agency=world.agency, actor=rep)
    services.decide_review_items(review=review, decisions={items[keep.pk].pk: "confirmed"}, actor=rep)
    with pytest.raises(ValidationError, match="1 account is not yet reviewed"):
        services.sign_access_review(review=review, actor=rep)
    services.decide_review_items(review=review, decisions={items[drop.pk].pk: "disable"}, actor=rep)
    review = services.sign_access_review(review=review, actor=rep)
    assert review.is_signed and review.signed_by == rep
    drop.refresh_from_db()
    assert (drop.status, drop.disable_requested_by) == (StateAccount.Status.DISABLE_REQUESTED, rep)
    with pytest.raises(ValidationError, match="signed"):
        services.decide_review_items(review=review, decisions={items[keep.pk].pk: "disable"}, actor=rep)
    with pytest.raises(ValidationError, match="already signed"):
        services.sign_access_review(review=review, actor=rep)


def test_r_ac_4_review_due_a_year_after_signing(world):
    rep = world.users["leds_rep"]
    summary = access_review_summary(agency=world.agency, today=datetime.date(2026, 11, 23))
    assert (summary.due, summary.status) == (None, "done")
    StateAccountFactory(person=world.target, requested_at=datetime.datetime(2025, 10, 1, 9, tzinfo=datetime.UTC))
    summary = access_review_summary(agency=world.agency, today=datetime.date(2026, 11, 23))
    assert (summary.due, summary.status) == (datetime.date(2026, 10, 3), "overdue")
    review = services.start_access_review(agency=world.agency, actor=rep)
    services.decide_review_items(review=review, decisions={i.pk: "confirmed" for i in review.items.all()}, actor=rep)
    review = services.sign_access_review(review=review, actor=rep)
    summary = access_review_summary(agency=world.agency)
    assert summary.due == review.signed_on.replace(year=review.signed_on.year + 1)
    assert summary.status == "done"


def test_r_ac_4_pages_decide_sign_and_show_the_due_date_on_the_dashboard(world, login):
    account = StateAccountFactory(person=world.target)
    client = login(world.users["leds_rep"])
    response = client.post(reverse("background:start_review"))
    review = AccessReview.objects.get(agency=world.agency)
    assert response.status_code == 302
    item = review.items.get()
    client.post(reverse("background:decide_review", args=[review.pk]), {f"item-{item.pk}": "confirmed"})
    client.post(reverse("background:sign_review", args=[review.pk]))
    review.refresh_from_db()
    assert review.is_signed
    page = client.get(reverse("background:review", args=[review.pk])).content.decode()
    assert 'id="signed"' in page and 'id="sign-review"' not in page and 'name="item-' not in page
    dashboard = client.get(reverse("compliance:dashboard")).content.decode()
    assert 'id="access-review-due"' in dashboard and f"{review.signed_on.year + 1}-" in dashboard
    assert account.pk


def test_r_ac_4_a_long_review_is_paged_filtered_and_saved_page_by_page(world, login):
    """Issue 23: an agency of 10,000 has ~20,000 items; the page shows 100, by name, filterable."""
    from people.factories import PersonFactory
    from state_access.models import AccessReviewItem
    from state_access.views import REVIEW_PAGE_SIZE

    for person in PersonFactory.create_batch(REVIEW_PAGE_SIZE + 5, agency=world.agency):
        StateAccountFactory(person=person)
    client = login(world.users["leds_rep"])
    client.post(reverse("background:start_review"))
    review = AccessReview.objects.get(agency=world.agency)
    url = reverse("background:review", args=[review.pk])
    first = client.get(url).content.decode()
    assert first.count('name="item-') == REVIEW_PAGE_SIZE and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('name="item-') == 5
    item = review.items.select_related("account__person").last()
    found = client.get(url, {"q": item.account.person.employee_id}).content.decode()
    assert found.count('name="item-') == 1 and f'name="item-{item.pk}"' in found
    response = client.post(reverse("background:decide_review", args=[review.pk]),
                           {f"item-{item.pk}": "confirmed", "back": "?page=2"})
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    assert review.items.get(pk=item.pk).decision == AccessReviewItem.Decision.CONFIRMED
    confirmed = client.get(url, {"decision": "confirmed"}).content.decode()
    assert confirmed.count('name="item-') == 1


def test_r_ac_4_access_review_is_not_in_the_person_report(world):
    import json
    from io import StringIO

    from django.core.management import call_command

    StateAccountFactory(person=world.target)
    out = StringIO()
    call_command("compliance_report", "--agency", world.agency.ori, stdout=out)
    names = {o["obligation"] for p in json.loads(out.getvalue()) for o in p["obligations"]}
    assert "access_review" not in names and "account_disable" in names


def test_r_ac_5_password_reset_logged_with_who_asked_who_reset_when_which_system(world, login):
    client = login(world.users["laso"])
    now = timezone.localtime(timezone=world.agency.zone) - datetime.timedelta(minutes=3)
    response = client.post(reverse("background:record_password_reset"), {
        "person": world.target.pk, "system": state_system("CJIS Online").pk,
        "on": now.date().isoformat(), "at": now.strftime("%H:%M")})
    assert response.status_code == 302
    assist = PasswordResetAssist.objects.get()
    assert (assist.person, assist.system.name, assist.reset_by) == (world.target, "CJIS Online", world.users["laso"])
    assert assist.reset_at == now.replace(second=0, microsecond=0)
    listing = login(world.users["agency_auditor"]).get(reverse("background:password_resets")).content.decode()
    assert "CJIS Online" in listing and 'id="record-reset"' not in listing


def test_r_ac_5_reset_for_another_agencys_person_is_refused(world, login):
    client = login(world.users["laso"])
    now = timezone.localtime(timezone=world.agency.zone)
    client.post(reverse("background:record_password_reset"), {
        "person": world.foreign_person.pk, "system": state_system().pk,
        "on": now.date().isoformat(), "at": now.strftime("%H:%M")})
    assert not PasswordResetAssist.objects.exists()
