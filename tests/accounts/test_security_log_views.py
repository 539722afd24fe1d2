"""The security-log page: scoped, filterable, paginated, exportable; the LASO's weekly review (R-SEC-5)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import rules, security_log, services
from accounts.models import SecurityEvent, SecurityLogReview

Kind = SecurityEvent.Kind


@pytest.mark.parametrize(("last", "now", "overdue"), [
    (None, datetime(2026, 11, 23, tzinfo=UTC), True),
    (datetime(2026, 11, 16, 9, tzinfo=UTC), datetime(2026, 11, 23, 9, tzinfo=UTC), False),
    (datetime(2026, 11, 16, 9, tzinfo=UTC), datetime(2026, 11, 23, 9, 1, tzinfo=UTC), True),
    (datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC), False),
], ids=["never-reviewed", "exactly-a-week", "a-week-and-a-minute", "three-days"])
def test_r_sec_5_weekly_review_overdue(last, now, overdue):
    assert rules.review_overdue(last_reviewed_at=last, now=now, every_days=7) is overdue


def test_page_shows_only_the_agencys_rows_and_filters(world, login):
    security_log.record(event=Kind.SIGN_IN, actor=world.users["employee"], agency=world.agency, target="mine")
    security_log.record(event=Kind.SIGN_IN_FAILED, actor=world.users["laso"], agency=world.agency,
                        outcome=SecurityEvent.Outcome.FAILURE, target="mine too")
    security_log.record(event=Kind.SIGN_IN, actor=world.users["foreign"], agency=world.foreign_agency,
                        target="theirs")
    client = login(world.users["laso"])
    page = client.get(reverse("accounts:security_log")).content.decode()
    assert "mine too" in page and "theirs" not in page
    filtered = client.get(reverse("accounts:security_log"), {"outcome": "failure"}).content.decode()
    assert "mine too" in filtered and ">mine<" not in filtered
    partial = client.get(reverse("accounts:security_log"), {"username": "employee"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "mine" in partial.content.decode()


def test_bad_filter_dates_are_reported(world, login):
    response = login(world.users["laso"]).get(reverse("accounts:security_log"),
                                              {"since": "2026-11-20", "until": "2026-11-01"})
    assert "The end date is before the start date." in response.content.decode()


def test_empty_filter_says_so(world, login):
    response = login(world.users["agency_auditor"]).get(reverse("accounts:security_log"), {"event": "unlocked"})
    assert "No event matches this filter" in response.content.decode()


def test_csv_export_holds_the_rows_and_is_itself_logged(world, login):
    security_log.record(event=Kind.UNLOCKED, actor=world.users["leds_rep"], agency=world.agency,
                        target="user:employee")
    response = login(world.users["leds_rep"]).get(reverse("accounts:security_log_export"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("id,occurred_at_utc,event,outcome,user")
    assert "unlocked" in body and "user:employee" in body
    assert SecurityEvent.objects.filter(event=Kind.ADMIN_ACTION, details__action="export").exists()


def test_r_sec_5_laso_signs_off_the_review_and_the_dashboard_stops_warning(world, login):
    client = login(world.users["laso"])
    assert "never been reviewed" in client.get(reverse("home")).content.decode()
    security_log.record(event=Kind.SIGN_IN, actor=world.users["employee"], agency=world.agency)
    response = client.post(reverse("accounts:security_log_review"), {"notes": "Nothing unusual."})
    assert response.status_code == 302
    review = SecurityLogReview.objects.get(agency=world.agency)
    # the LASO's own sign-in and the employee's
    assert review.reviewed_by == world.users["laso"] and review.events_reviewed == 2
    assert review.history.first().history_change_reason == "Security log review signed off"
    home = client.get(reverse("home")).content.decode()
    assert "never been reviewed" not in home and "Security log last reviewed" in home
    assert SecurityEvent.objects.filter(event=Kind.LOG_REVIEWED, agency=world.agency).count() == 1
    assert security_log.verify().ok


def test_r_sec_5_dashboard_warns_when_the_last_review_is_overdue(world, login):
    services.sign_off_security_log_review(agency=world.agency, reviewer=world.users["laso"],
                                          now=timezone.now() - timedelta(days=8))
    home = login(world.users["leds_rep"]).get(reverse("home")).content.decode()
    assert "review is overdue" in home


def test_employee_sees_no_review_notice(world, login):
    assert "security log" not in login(world.users["employee"]).get(reverse("home")).content.decode().lower()


def test_log_page_is_paginated(world, login, settings):
    settings.SECURITY_LOG_PAGE_SIZE = 5
    for i in range(12):
        security_log.record(event=Kind.SIGN_IN, actor=world.users["employee"], agency=world.agency, target=f"t{i}")
    page = login(world.users["laso"]).get(reverse("accounts:security_log"), {"page": 3}).content.decode()
    assert "Page 3 of 3" in page and "t1<" in page
