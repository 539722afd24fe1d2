"""Lockout (R-SEC-3): 5 failed sign-ins within 15 minutes lock the account until someone unlocks it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from accounts import rules
from accounts.factories import stored_totp_secret, totp_code
from accounts.models import AccountLock, SecurityEvent
from accounts.services import unlock_account
from tests.accounts.conftest import password_step, sign_in

Kind = SecurityEvent.Kind
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _at(*minutes):
    return [T0 + timedelta(minutes=m) for m in minutes]


@pytest.mark.parametrize(("failures", "now", "locked"), [
    (_at(0, 1, 2, 3, 4), T0 + timedelta(minutes=4), True),
    (_at(0, 1, 2, 3), T0 + timedelta(minutes=4), False),
    (_at(0, 1, 2, 3, 20), T0 + timedelta(minutes=20), False),  # 4, then 16 quiet minutes, then 1
    (_at(0, 5, 10, 14, 14.9), T0 + timedelta(minutes=14.9), True),
    (_at(0, 5, 10, 14, 15.1), T0 + timedelta(minutes=15.1), False),  # the first fell out of the window
    (_at(1, 2, 3, 10, 16), T0 + timedelta(minutes=16), True),  # sliding: 1..16 is within 15 minutes
], ids=["five-in-four-minutes", "four", "four-then-16-quiet-minutes-then-one", "five-in-just-under-15",
        "five-over-just-over-15", "sliding-window"])
def test_r_sec_3_five_failures_within_15_minutes_lock(failures, now, locked):
    assert rules.failures_lock(failure_times=failures, now=now, limit=5, window=timedelta(minutes=15)) is locked


def _fail(client, username="employee", times=1):
    return [password_step(client, username, "not the password") for _ in range(times)]


def test_r_sec_3_five_failures_lock_and_the_right_password_is_refused_until_unlocked(world, client):
    responses = _fail(client, times=5)
    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429
    lock = AccountLock.objects.get(username="employee", unlocked_at__isnull=True)
    assert lock.user == world.users["employee"] and lock.agency == world.agency
    refused = password_step(client, "employee")  # the right password
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "This account is locked" in page and "LEDS Representative" in page
    assert SecurityEvent.objects.filter(event=Kind.LOCKED_OUT, target="user:employee").count() == 1

    unlock_account(lock=lock, actor=world.users["leds_rep"])
    assert sign_in(client, world.users["employee"]).status_code == 302  # accepted at once
    assert client.get(reverse("people:agency")).status_code == 200
    assert SecurityEvent.objects.filter(event=Kind.UNLOCKED, target="user:employee").exists()


def test_r_sec_3_four_failures_then_16_quiet_minutes_then_one_more_do_not_lock(world, client, clock):
    _fail(client, times=4)
    clock.advance(minutes=16)
    assert _fail(client)[0].status_code == 200
    assert not AccountLock.objects.exists()
    assert sign_in(client, world.users["employee"]).status_code == 302


def test_r_sec_3_failures_spread_within_15_minutes_lock(world, client, clock):
    for _ in range(4):
        _fail(client)
        clock.advance(minutes=3, seconds=30)  # 14 minutes in all
    assert _fail(client)[0].status_code == 429


def test_r_sec_3_a_good_sign_in_restarts_the_count(world, client):
    _fail(client, times=4)
    sign_in(client, world.users["employee"])
    client.post(reverse("account_logout"))
    assert _fail(client)[0].status_code == 200
    assert not AccountLock.objects.exists()


def _page(response, username):
    text = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN", response.content.decode())
    return text.replace(username, "NAME")


def test_r_sec_3_the_lockout_page_does_not_reveal_whether_a_user_name_exists(world, client):
    real = _fail(client, "employee", times=5)[-1]
    made_up = _fail(client, "nobody-by-this-name", times=5)[-1]
    assert real.status_code == made_up.status_code == 429
    assert _page(real, "employee") == _page(made_up, "nobody-by-this-name")
    first_real, first_made_up = _fail(client, "laso")[0], _fail(client, "nobody-two")[0]
    assert _page(first_real, "laso") == _page(first_made_up, "nobody-two")


def test_r_sec_3_the_lock_holds_whatever_the_letter_case(world, client):
    # allauth finds user names case-insensitively, so the count and the lock must too
    for name in ("employee", "Employee", "EMPLOYEE", "eMployee", "employeE"):
        _fail(client, name)
    assert AccountLock.objects.filter(username="employee", unlocked_at__isnull=True).exists()
    assert password_step(client, "EMPLOYEE").status_code == 429


def test_r_sec_3_wrong_second_factor_codes_lock_too(world, client):
    user = world.users["employee"]
    password_step(client, "employee")
    for _ in range(5):
        assert client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code == 200
    assert AccountLock.objects.filter(username="employee", unlocked_at__isnull=True).exists()
    # the right code no longer finishes the sign-in, and the password step is refused too
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(stored_totp_secret(user))})
    assert right.status_code == 429
    assert client.get(reverse("people:agency")).status_code == 302
    assert password_step(client, "employee").status_code == 429
