"""State systems and accounts: the lifecycle (R-AC-1), the R-BG-1 gate, separation and transfer (R-AC-2),
the engine's obligations and the pages."""

import datetime
import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from background.factories import ClearedFingerprintCheckFactory, FingerprintCheckFactory
from people.factories import PersonFactory
from people.services import separate_person, separation_moment
from state_access import services
from state_access.factories import StateAccountFactory, state_system
from state_access.models import DutyTransfer, StateAccount, StateSystem
from state_access.selectors import agency_accounts, load_accounts

UTC = datetime.UTC


def test_state_systems_are_seeded(db):
    names = set(StateSystem.objects.filter(agency__isnull=True).values_list("name", flat=True))
    assert {"WebLEDS", "LEDS 20/20 / eAgent", "nexTEST", "CJIS Online"} <= names


def test_r_ac_1_agency_adds_its_own_system_once(world):
    rep = world.users["leds_rep"]
    system = services.add_state_system(agency=world.agency, name="County RMS", actor=rep)
    assert system.agency == world.agency
    with pytest.raises(ValidationError, match="already on the list"):
        services.add_state_system(agency=world.agency, name="county rms", actor=rep)
    with pytest.raises(ValidationError, match="already on the list"):
        services.add_state_system(agency=world.agency, name="webleds", actor=rep)


def test_r_ac_1_lifecycle_each_step_dated_with_who(world):
    rep = world.users["leds_rep"]
    ClearedFingerprintCheckFactory(person=world.target)
    start = timezone.now() - datetime.timedelta(days=3)
    account = services.request_account(person=world.target, system=state_system("nexTEST"), actor=rep,
                                       requested_at=start)
    assert (account.status, account.requested_by) == ("requested", rep)
    account = services.activate_account(account=account, actor=rep, at=start + datetime.timedelta(hours=5),
                                        username="jdoe")
    assert (account.status, account.activated_by, account.username) == ("active", rep, "jdoe")
    account = services.request_disablement(account=account, actor=rep, at=start + datetime.timedelta(days=1))
    account = services.disable_account(account=account, actor=rep, at=start + datetime.timedelta(days=2))
    assert account.status == "disabled" and account.disabled_by == rep
    assert [h.history_change_reason for h in account.history.order_by("history_id")] == [
        "nexTEST account requested", "nexTEST account activated", "nexTEST account disablement requested",
        "nexTEST account disabled"]
    with pytest.raises(ValidationError, match="none: it is disabled"):
        services.activate_account(account=account, actor=rep)


def test_r_ac_1_steps_cannot_go_back_in_time_or_into_the_future(world):
    rep = world.users["leds_rep"]
    ClearedFingerprintCheckFactory(person=world.target)
    account = services.request_account(person=world.target, system=state_system(), actor=rep)
    with pytest.raises(ValidationError, match="before the previous one"):
        services.activate_account(account=account, actor=rep, at=account.requested_at - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="future"):
        services.activate_account(account=account, actor=rep, at=timezone.now() + datetime.timedelta(days=1))


def test_r_ac_1_one_open_account_per_person_and_system(world):
    rep = world.users["leds_rep"]
    services.request_account(person=world.target, system=state_system(), actor=rep)
    with pytest.raises(ValidationError, match="already has an open"):
        services.request_account(person=world.target, system=state_system(), actor=rep)


@pytest.mark.parametrize("outcome", [None, "pending", "denied"], ids=["no-check", "pending", "denied"])
def test_r_bg_1_service_refuses_activation_until_cleared(world, outcome):
    if outcome == "denied":
        FingerprintCheckFactory(person=world.target, outcome="denied", denial_reason="fugitive")
    elif outcome:
        FingerprintCheckFactory(person=world.target)
    rep = world.users["leds_rep"]
    account = services.request_account(person=world.target, system=state_system(), actor=rep)
    with pytest.raises(ValidationError, match="R-BG-1"):
        services.activate_account(account=account, actor=rep)
    account.refresh_from_db()
    assert account.status == "requested" and account.activated_at is None


def test_r_bg_1_exception_granted_clears_the_way(world):
    FingerprintCheckFactory(person=world.target, outcome="exception_granted", exception_reference="OSP-1")
    rep = world.users["leds_rep"]
    account = services.request_account(person=world.target, system=state_system(), actor=rep)
    assert services.activate_account(account=account, actor=rep).status == "active"


def test_r_bg_1_page_says_why_activation_is_refused(world, login):
    rep = world.users["leds_rep"]
    account = services.request_account(person=world.target, system=state_system(), actor=rep)
    client = login(rep)
    page = client.get(reverse("background:person_accounts", args=[world.target.pk])).content.decode()
    assert "background check is not cleared" in page
    now = timezone.localtime(timezone=world.agency.zone)
    response = client.post(reverse("background:account_step", args=[account.pk]),
                           {f"a{account.pk}-to": "active", f"a{account.pk}-on": now.date().isoformat(),
                            f"a{account.pk}-at": now.strftime("%H:%M")}, follow=True)
    assert "background check is not cleared (R-BG-1)" in response.content.decode()
    account.refresh_from_db()
    assert account.status == "requested"


def test_account_pages_request_and_activate(world, login):
    ClearedFingerprintCheckFactory(person=world.target)
    client = login(world.users["leds_rep"])
    now = timezone.localtime(timezone=world.agency.zone) - datetime.timedelta(minutes=10)
    response = client.post(reverse("background:request_account", args=[world.target.pk]),
                           {"system": state_system("WebLEDS").pk, "username": "",
                            "on": now.date().isoformat(), "at": now.strftime("%H:%M")})
    assert response.status_code == 302
    account = StateAccount.objects.get(person=world.target)
    later = now + datetime.timedelta(minutes=5)
    client.post(reverse("background:account_step", args=[account.pk]),
                {f"a{account.pk}-to": "active", f"a{account.pk}-on": later.date().isoformat(),
                 f"a{account.pk}-at": later.strftime("%H:%M"), f"a{account.pk}-username": "tgt01"})
    account.refresh_from_db()
    assert (account.status, account.username) == ("active", "tgt01")
    listing = client.get(reverse("background:accounts")).content.decode()
    assert "tgt01" in listing and "WebLEDS" in listing


def test_account_pages_write_no_background_read_rows(world, login):
    """The accounts pages show only whether the check is cleared, never a background field."""
    StateAccountFactory(person=world.target)
    client = login(world.users["leds_rep"])
    client.get(reverse("background:person_accounts", args=[world.target.pk]))
    client.get(reverse("background:accounts"))
    assert not SecurityEvent.objects.filter(event=SecurityEvent.Kind.BACKGROUND_RECORD_READ).exists()


# --- R-AC-2 ------------------------------------------------------------------------------------------------------

def test_r_ac_2_separation_with_a_date_only_makes_accounts_due_24_hours_after_the_end_of_that_day(world):
    account = StateAccountFactory(person=world.target)
    moment = separation_moment(agency=world.agency, separated_on=datetime.date(2026, 10, 31))  # a Saturday
    separate_person(person=world.target, actor=world.users["leds_rep"], separated_at=moment, reason="resigned")
    now = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=world.agency.zone)  # Monday 09:00, after the DST change
    [entry] = agency_accounts(agency=world.agency, now=now)
    [timing] = entry.accounts
    assert timing.account == account
    assert timing.due_at.astimezone(world.agency.zone).replace(tzinfo=None) == datetime.datetime(
        2026, 11, 1, 22, 59, 59)  # 24 elapsed hours; the clocks fell back one hour on Sunday
    assert timing.is_late and timing.hours_late == 10.0


def test_r_ac_2_transfer_counts_like_a_separation(world, login):
    StateAccountFactory(person=world.target)
    client = login(world.users["leds_rep"])
    response = client.post(reverse("background:record_transfer", args=[world.target.pk]),
                           {"transferred_on": "2026-11-20", "transferred_time": "17:00"})
    assert response.status_code == 302
    transfer = DutyTransfer.objects.get(person=world.target)
    assert transfer.transferred_at == datetime.datetime(2026, 11, 20, 17, 0, tzinfo=world.agency.zone)
    now = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=world.agency.zone)  # Monday, after a weekend
    [timing] = agency_accounts(agency=world.agency, now=now)[0].accounts
    assert timing.hours_late == 40.0  # due Saturday 17:00; the weekend is not skipped


def test_r_ac_2_disabled_in_time_is_not_late_and_disabled_late_says_by_how_much(world):
    separated = datetime.datetime(2026, 11, 13, 17, 0, tzinfo=world.agency.zone)
    world.target.status, world.target.separated_at = "separated", separated
    world.target.save()
    StateAccountFactory(person=world.target, system=state_system("WebLEDS"), status="disabled",
                        disabled_at=separated + datetime.timedelta(hours=20))
    StateAccountFactory(person=world.target, system=state_system("nexTEST"), status="disabled",
                        disabled_at=separated + datetime.timedelta(hours=30))
    now = datetime.datetime(2026, 11, 23, tzinfo=world.agency.zone)
    timings = {t.account.system.name: t for t in agency_accounts(agency=world.agency, now=now)[0].accounts}
    assert (timings["WebLEDS"].hours_late, timings["WebLEDS"].is_late) == (0.0, False)
    assert (timings["nexTEST"].hours_late, timings["nexTEST"].is_late) == (6.0, False)


def test_r_ac_2_late_accounts_are_red_on_the_dashboard_with_how_late(world, login):
    separated = timezone.now() - datetime.timedelta(hours=30)
    world.target.status, world.target.separated_at = "separated", separated
    world.target.save()
    account = StateAccountFactory(person=world.target)
    body = login(world.users["leds_rep"]).get(reverse("compliance:dashboard")).content.decode()
    assert 'id="accounts-late"' in body and f'data-account="{account.pk}"' in body
    assert "6 hours late" in body
    employee = login(world.users["employee"]).get(reverse("home")).content.decode()
    assert 'id="accounts-late"' not in employee


def test_selector_query_count_does_not_grow(world, django_assert_num_queries):
    def grow(n):
        for _ in range(n):
            StateAccountFactory(person=PersonFactory(agency=world.agency))

    grow(3)
    with django_assert_num_queries(3):  # rule table, accounts with people and systems, transfers
        small = agency_accounts(agency=world.agency)
    grow(60)
    with django_assert_num_queries(3):
        large = agency_accounts(agency=world.agency)
    assert len(large) == len(small) + 60
    with django_assert_num_queries(2):
        assert len(load_accounts([world.agency.pk])) == 63


# --- the engine: obligations and compliance_report ----------------------------------------------------------

def test_compliance_report_carries_account_obligations_with_the_system(world):
    StateAccountFactory(person=world.target, system=state_system("WebLEDS"), last_login_on=datetime.date(2026, 8, 1),
                        requested_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    out = StringIO()
    call_command("compliance_report", "--agency", world.agency.ori, "--today", "2026-11-23", stdout=out)
    entry = next(p for p in json.loads(out.getvalue()) if p["employee_id"] == world.target.employee_id)
    accounts = [o for o in entry["obligations"] if o["obligation"].startswith("account_")]
    assert accounts == [
        {"rule": "R-AC-2", "obligation": "account_disable", "status": "not_required", "due": None,
         "system": "WebLEDS"},
        {"rule": "R-AC-3", "obligation": "account_inactive", "status": "overdue", "due": "2026-11-06",
         "system": "WebLEDS"},
    ]
    background = next(o for o in entry["obligations"] if o["obligation"] == "background_check")
    assert background == {"rule": "R-BG-1", "obligation": "background_check", "status": "overdue",
                          "due": "2025-02-05"}
    assert all("system" not in o for o in entry["obligations"] if not o["obligation"].startswith("account_"))


def test_r_bg_4_supervisor_sees_background_check_only_as_complete_or_pending(world, login):
    FingerprintCheckFactory(person=world.target, outcome="denied", denial_reason="current_prosecution",
                            denial_notice_sent_on=datetime.date(2026, 11, 2))
    body = login(world.users["supervisor"]).get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert 'data-obligation="background_check" data-status="open"' in body
    assert "prosecution" not in body.lower() and "denied" not in body.lower()
    assert 'id="person-state-accounts"' not in body  # accounts and background links are not for supervisors


def test_demo_seed_shows_accounts_in_every_step_and_a_late_disablement(db, settings, login):
    from accounts.models import User
    from demo.seed import seed_demo

    settings.DEBUG = True  # the demo's second factors have a published secret
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=40,
                     today=timezone.localdate())
    agency = demo.agencies[0]
    statuses = set(StateAccount.objects.filter(person__agency=agency).values_list("status", flat=True))
    assert {"active", "disable_requested", "disabled"} <= statuses
    timings = [t for p in agency_accounts(agency=agency) for t in p.accounts]
    assert any(t.is_late for t in timings) and any(t.inactive_due for t in timings)
    assert DutyTransfer.objects.filter(person__agency=agency).exists()
    client = login(demo.users["rep"])
    assert 'id="accounts-late"' in client.get(reverse("compliance:dashboard")).content.decode()
    page = client.get(reverse("background:accounts")).content.decode()
    assert 'data-late="true"' in page and "County RMS" in client.get(reverse("background:systems")).content.decode()


def test_r_ac_3_unused_accounts_on_the_dashboard_and_the_filtered_list(world, login):
    account = StateAccountFactory(person=world.target, last_login_on=timezone.localdate() - datetime.timedelta(days=95),
                                  requested_at=timezone.now() - datetime.timedelta(days=400))
    StateAccountFactory(person=world.outsider, last_login_on=timezone.localdate() - datetime.timedelta(days=10),
                        requested_at=timezone.now() - datetime.timedelta(days=400))
    client = login(world.users["laso"])
    body = client.get(reverse("compliance:dashboard")).content.decode()
    assert 'id="accounts-unused"' in body and "1 account with no login for 90 days" in body
    listing = client.get(reverse("background:accounts"), {"show": "unused"}).content.decode()
    assert f'data-account="{account.pk}"' in listing and world.outsider.last_name not in listing


def test_person_page_names_the_system_of_each_account_obligation(world, login):
    StateAccountFactory(person=world.target, system=state_system("nexTEST"))
    body = login(world.users["leds_rep"]).get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert 'data-obligation="account_disable"' in body
    assert '<span class="usa-hint">nexTEST</span>' in body
    assert 'id="person-state-accounts"' in body


def test_r_ac_2_a_voided_transfer_no_longer_makes_accounts_due(world, login):
    StateAccountFactory(person=world.target)
    transfer = services.record_transfer(person=world.target, actor=world.users["leds_rep"],
                                        transferred_at=timezone.now() - datetime.timedelta(hours=30))
    assert agency_accounts(agency=world.agency)[0].accounts[0].is_late
    client = login(world.users["leds_rep"])
    client.post(reverse("background:void", args=["transfers", transfer.pk]), {"reason": ""})
    transfer.refresh_from_db()
    assert not transfer.is_voided  # a reason is required
    client.post(reverse("background:void", args=["transfers", transfer.pk]), {"reason": "wrong person"})
    transfer.refresh_from_db()
    assert transfer.is_voided and transfer.void_reason == "wrong person"
    [entry] = agency_accounts(agency=world.agency)
    assert entry.access_ended_at is None and not entry.accounts[0].is_late
    assert transfer.history.first().history_change_reason == "Voided: wrong person"
