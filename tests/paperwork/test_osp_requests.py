"""Account requests to OSP (issue 21, R-AC-1, R-AC-2): batches, OSP's answers, the ageing view."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from background.factories import ClearedFingerprintCheckFactory
from paperwork import selectors, services
from paperwork.models import AccountRequest, RequestBatch
from people.factories import PersonFactory
from state_access.factories import StateAccountFactory, state_system
from state_access.models import StateAccount

TODAY = date(2026, 12, 1)


@pytest.fixture
def requests_world(world):
    """Two new-account requests and one termination in the agency, one request in another agency."""
    agency = world.agency
    ann = PersonFactory(agency=agency, last_name="Ames", first_name="Ann", employee_id="E-101", position="Dispatcher")
    bob = PersonFactory(agency=agency, last_name="Birch", first_name="Bob", employee_id="E-102")
    cal = PersonFactory(agency=agency, last_name="Cole", first_name="Cal", employee_id="E-103")
    ClearedFingerprintCheckFactory(person=ann)
    accounts = {
        "ann": StateAccountFactory(person=ann, status="requested", username="aames"),
        "bob": StateAccountFactory(person=bob, status="requested", system=state_system("nexTEST"), username=""),
        "cal": StateAccountFactory(person=cal, status="disable_requested", username="ccole",
                                   disable_requested_at=timezone.now() - timedelta(hours=30)),
        "foreign": StateAccountFactory(person=world.foreign_person, status="requested", username="elsewhere"),
    }
    return accounts


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_batch_holds_exactly_the_selected_requests_and_nothing_of_another_agency(world, requests_world, login, client):
    ann, cal, foreign = requests_world["ann"], requests_world["cal"], requests_world["foreign"]
    login(world.users["leds_rep"])
    page = client.get(reverse("paperwork:osp_requests")).content.decode()
    assert "Ames, Ann" in page or "Ann Ames" in page or str(ann.person) in page
    assert "elsewhere" not in page
    response = client.post(reverse("paperwork:osp_batch_create"),
                           {"request": [f"create:{ann.pk}", f"terminate:{cal.pk}", f"create:{foreign.pk}"]})
    batch = RequestBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("paperwork:osp_batch", args=[batch.pk])
    assert batch.number == f"{world.agency.ori}-{timezone.localdate():%Y}-001"
    assert sorted((r.account_id, r.action) for r in batch.requests.all()) == sorted(
        [(ann.pk, "create"), (cal.pk, "terminate")])

    rows = list(csv.DictReader(io.StringIO(_body(client.get(reverse("paperwork:osp_batch_export",
                                                                      args=[batch.pk]))).decode("utf-8-sig"))))
    assert [(r["last_first_name"], r["action"], r["username"]) for r in rows] == [
        ("Ames, Ann", "create", "aames"), ("Cole, Cal", "terminate", "ccole")]  # by system, then name
    assert all(r["batch"] == batch.number for r in rows)

    pdf = PdfReader(io.BytesIO(_body(client.get(reverse("paperwork:osp_batch_pdf", args=[batch.pk])))))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert len(pdf.pages) == 1  # one system (WebLEDS): one letter
    for expected in ("Ames, Ann", "E-101", "Dispatcher", "aames", "Create account", "Cole, Cal", "Terminate account",
                     batch.number, "Signature"):
        assert expected in text, expected
    assert "Birch" not in text and "elsewhere" not in text


def test_producing_a_batch_twice_does_not_resend(world, requests_world):
    rep = world.users["leds_rep"]
    token = f"create:{requests_world['ann'].pk}"
    services.produce_request_batch(agency=world.agency, tokens=[token], actor=rep, today=TODAY)
    with pytest.raises(ValidationError, match="already in a batch"):
        services.produce_request_batch(agency=world.agency, tokens=[token], actor=rep, today=TODAY)
    assert AccountRequest.objects.count() == 1
    assert token not in [p.token for p in selectors.pending_requests(user=rep, agency=world.agency)]


def test_osp_answer_moves_the_account_and_a_rejection_puts_it_back_in_the_queue(world, requests_world):
    rep = world.users["leds_rep"]
    ann, bob, cal = requests_world["ann"], requests_world["bob"], requests_world["cal"]
    sent_on = timezone.localdate()
    services.produce_request_batch(agency=world.agency, actor=rep, today=sent_on,
                                   tokens=[f"create:{ann.pk}", f"create:{bob.pk}", f"terminate:{cal.pk}"])
    services.record_osp_answer(account=ann, action="create", outcome="done", answered_on=sent_on, actor=rep)
    services.record_osp_answer(account=cal, action="terminate", outcome="done", answered_on=sent_on, actor=rep)
    ann.refresh_from_db()
    cal.refresh_from_db()
    assert ann.status == StateAccount.Status.ACTIVE and cal.status == StateAccount.Status.DISABLED
    assert cal.history.first().history_change_reason == "WebLEDS account disabled"

    # Bob has no cleared background check: OSP cannot have created it (R-BG-1); nothing is recorded
    with pytest.raises(ValidationError, match="R-BG-1"):
        services.record_osp_answer(account=bob, action="create", outcome="done", answered_on=sent_on, actor=rep)
    assert AccountRequest.objects.get(account=bob).outcome == ""
    services.record_osp_answer(account=bob, action="create", outcome="rejected", answered_on=sent_on, actor=rep,
                               reason="No fingerprint-based check on file")
    bob.refresh_from_db()
    assert bob.status == StateAccount.Status.REQUESTED
    assert f"create:{bob.pk}" in [p.token for p in selectors.pending_requests(user=rep, agency=world.agency)]


def test_an_answer_is_refused_for_a_request_in_no_sent_batch(world, requests_world):
    with pytest.raises(ValidationError, match="not sent to OSP in a batch"):
        services.record_osp_answer(account=requests_world["ann"], action="create", outcome="done",
                                   answered_on=TODAY, actor=world.users["leds_rep"])
    assert requests_world["ann"].status == StateAccount.Status.REQUESTED


def test_answer_page_records_through_the_form(world, requests_world, login, client):
    rep = world.users["laso"]
    ann = requests_world["ann"]
    batch = services.produce_request_batch(agency=world.agency, tokens=[f"create:{ann.pk}"], actor=rep,
                                           today=timezone.localdate())
    line = batch.requests.get()
    login(rep)
    page = client.get(reverse("paperwork:osp_batch", args=[batch.pk])).content.decode()
    assert f'name="line{line.pk}-outcome"' in page
    response = client.post(reverse("paperwork:osp_answer", args=[line.pk]), {
        f"line{line.pk}-outcome": "rejected", f"line{line.pk}-answered_on": timezone.localdate().isoformat(),
        f"line{line.pk}-reason": ""}, follow=True)
    assert "Say why OSP rejected the request." in response.content.decode()
    client.post(reverse("paperwork:osp_answer", args=[line.pk]), {
        f"line{line.pk}-outcome": "done", f"line{line.pk}-answered_on": timezone.localdate().isoformat()})
    line.refresh_from_db()
    assert line.outcome == "done" and line.answered_by == rep


@pytest.mark.parametrize(("days_ago", "bucket"), [(14, "waiting"), (15, "late")], ids=["on-the-day", "day-after"])
def test_ageing_buckets_at_their_edge(world, requests_world, days_ago, bucket):
    rep = world.users["leds_rep"]
    services.produce_request_batch(agency=world.agency, tokens=[f"create:{requests_world['ann'].pk}"], actor=rep,
                                   today=TODAY - timedelta(days=days_ago))
    late, waiting, days = selectors.unanswered_requests(user=rep, agency=world.agency, today=TODAY)
    assert days == 14
    assert (len(late), len(waiting)) == ((1, 0) if bucket == "late" else (0, 1))


@pytest.mark.parametrize(("hours", "listed"), [(23.9, False), (24.1, True)], ids=["within-24h", "past-24h"])
def test_terminations_open_past_24_hours_are_listed_first(world, hours, listed):
    now = timezone.now()
    account = StateAccountFactory(person=PersonFactory(agency=world.agency), status="disable_requested",
                                  disable_requested_at=now - timedelta(hours=hours))
    found = selectors.open_terminations(user=world.users["leds_rep"], agency=world.agency, now=now)
    assert (account in found) is listed
