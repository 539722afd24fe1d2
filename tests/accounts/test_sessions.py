"""Session limits (R-SEC-4): 30 minutes idle with a warning at 28, 12 hours absolute; polling is not activity."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts import rules
from accounts.models import SecurityEvent
from accounts.signals import LAST_ACTIVITY_AT
from tests.accounts.conftest import sign_in

IDLE, ABSOLUTE = 30 * 60, 12 * 60 * 60


@pytest.mark.parametrize(("signed_in", "last", "now", "expired"), [
    (0, 0, 29 * 60, None),
    (0, 0, 30 * 60, "idle"),
    (0, 20 * 60, 49 * 60, None),
    (0, 12 * 3600 - 60, 12 * 3600, "absolute"),
    (0, 11 * 3600, 12 * 3600 + 1, "absolute"),
], ids=["29-idle-minutes", "30-idle-minutes", "active-at-20", "12-hours-though-active", "12-hours-and-idle"])
def test_r_sec_4_session_expiry(signed_in, last, now, expired):
    assert rules.session_expired(signed_in_at=signed_in, last_activity_at=last, now=now, idle_seconds=IDLE,
                                 absolute_seconds=ABSOLUTE) == expired


@pytest.fixture
def page():
    return reverse("people:agency")


def test_r_sec_4_idle_30_minutes_ends_the_session_and_returns_to_the_page(world, client, clock, page):
    sign_in(client, world.users["employee"])
    clock.advance(minutes=29)
    assert client.get(page).status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fagency%2F"
    assert "without activity" in client.get(response["Location"]).content.decode()
    assert client.get(page).status_code == 302  # signed out for good
    event = SecurityEvent.objects.filter(event=SecurityEvent.Kind.SESSION_EXPIRED).get()
    assert event.details == {"limit": "idle"} and event.actor == world.users["employee"]
    # signing in again returns to the page (the cache forgets the used code, as the next 30-second period would)
    cache.clear()
    assert sign_in(client, world.users["employee"], next_url=page)["Location"] == page


def test_r_sec_4_polling_does_not_extend_the_session(world, client, clock, page):
    sign_in(client, world.users["employee"])
    for _ in range(4):
        clock.advance(minutes=6)
        poll = client.get(page, HTTP_X_BACKGROUND_POLL="1")  # a progress bar asking every few minutes
        assert poll.status_code == 200
        assert client.get(reverse("accounts:session_status")).status_code == 200
    clock.advance(minutes=6)  # 30 minutes since the last thing the person did
    assert client.get(page).status_code == 302


def test_r_sec_4_warning_at_28_minutes_lets_the_person_stay(world, client, clock, page):
    sign_in(client, world.users["employee"])
    clock.advance(minutes=28)
    status = client.get(reverse("accounts:session_status")).json()
    assert status["seconds_left"] <= status["warning_seconds"] == 120
    stay = client.post(reverse("accounts:session_keepalive"))
    assert stay.json()["seconds_left"] >= IDLE - 2
    clock.advance(minutes=20)  # 48 minutes after sign-in, 20 after "stay signed in"
    assert client.get(page).status_code == 200


def test_r_sec_4_twelve_hours_end_the_session_whatever_the_activity(world, client, clock, page):
    sign_in(client, world.users["employee"])
    for _ in range(35):  # active every 20 minutes for 11 h 40 min
        clock.advance(minutes=20)
        assert client.get(page).status_code == 200
    clock.advance(minutes=20)
    response = client.get(page)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    event = SecurityEvent.objects.filter(event=SecurityEvent.Kind.SESSION_EXPIRED).get()
    assert event.details == {"limit": "absolute"}


def test_r_sec_4_htmx_on_an_expired_session_sends_the_browser_to_sign_in(world, client, clock):
    sign_in(client, world.users["employee"])
    clock.advance(minutes=31)
    response = client.get(reverse("people:roster"), {"q": "x"}, HTTP_HX_REQUEST="true",
                          HTTP_HX_CURRENT_URL="http://testserver/people/?q=x")
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next=%2Fpeople%2F%3Fq%3Dx"
    # and an htmx request that arrives already signed out gets the same, not the form in a fragment
    again = client.get(reverse("people:roster"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/people/")
    assert again["HX-Redirect"] == f"{reverse('account_login')}?next=%2Fpeople%2F"


def test_session_status_answers_signed_out_browsers(client):
    assert client.get(reverse("accounts:session_status")).status_code == 401


def test_r_sec_4_every_page_carries_the_warning_timed_from_the_settings(world, login, settings):
    settings.SESSION_IDLE_SECONDS = 600
    page = login(world.users["employee"]).get(reverse("people:agency")).content.decode()
    assert 'id="session-timeout"' in page and 'data-warn-after="480"' in page and "Stay signed in" in page


def test_r_sec_4_activity_is_written_at_most_once_a_minute_and_never_extends_the_limit(world, client, clock, page):
    """Issue 23: a click within a minute of the last recorded one does not rewrite the session; the idle limit
    then counts from the recorded one, so it ends a session early by under a minute, never late."""
    sign_in(client, world.users["employee"])
    assert client.get(page).status_code == 200
    recorded = client.session[LAST_ACTIVITY_AT]
    clock.advance(seconds=30)
    assert client.get(page).status_code == 200
    assert client.session[LAST_ACTIVITY_AT] == recorded  # not written again
    clock.advance(seconds=31)
    assert client.get(page).status_code == 200
    assert client.session[LAST_ACTIVITY_AT] > recorded
