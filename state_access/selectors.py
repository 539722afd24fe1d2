"""Reads of state-system accounts for whole agencies, in a fixed number of queries (R-AC-1..4)."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import models
from django.utils import timezone

from compliance.engine import MUST_BE_SUSPENDED, NOT_YET_ELIGIBLE
from compliance.models import StoredObligation
from compliance.selectors import agency_today, rule_table
from people.models import Agency, Person

from .defaults import rule as rule_or_default
from .models import AccessReview, DutyTransfer, StateAccount, StateSystem
from .rules import (
    AccountFacts,
    AccountRecords,
    access_ended_at,
    access_review_due,
    access_review_status,
    disablement_due_at,
    hours_late,
    inactivity_since,
)


def _transfers(agency_ids: list[int], person_ids=None) -> dict[int, list]:
    transfers = DutyTransfer.objects.filter(person__agency_id__in=agency_ids, voided_at__isnull=True)
    if person_ids is not None:
        transfers = transfers.filter(person__in=person_ids)
    moments = defaultdict(list)
    for pid, at in transfers.values_list("person_id", "transferred_at"):
        moments[pid].append(at)
    return moments


def load_accounts(agency_ids: list[int], person_ids: list[int] | None = None) -> dict:
    """R-AC-2, R-AC-3: each person's accounts (not voided), when their access ended and the agency's zone;
    two queries for any number of people."""
    accounts = StateAccount.objects.filter(person__agency_id__in=agency_ids, voided_at__isnull=True)
    if person_ids is not None:
        accounts = accounts.filter(person__in=person_ids)
    rows = accounts.order_by("system__name", "requested_at").values_list(
        "person_id", "pk", "system__name", "status", "requested_at", "activated_at", "disabled_at", "last_login_on",
        "person__separated_at", "person__agency__time_zone")
    transfers = _transfers(agency_ids, person_ids)
    grouped: dict[int, list] = defaultdict(list)
    context: dict[int, tuple] = {}
    for pid, pk, system, status, requested_at, activated_at, disabled_at, last_login_on, separated_at, zone in rows:
        grouped[pid].append(AccountFacts(pk=pk, system=system, status=status, requested_at=requested_at,
                                         activated_at=activated_at, disabled_at=disabled_at,
                                         last_login_on=last_login_on))
        context[pid] = (separated_at, zone)
    return {pid: AccountRecords(accounts=tuple(items), separated_at=context[pid][0],
                                transferred_at=tuple(transfers.get(pid, ())), zone=zoneinfo.ZoneInfo(context[pid][1]))
            for pid, items in grouped.items()}


@dataclass(frozen=True)
class AccountTiming:
    """One account with its lifecycle and R-AC-2 disablement timing (for pages, the dashboard, the packet)."""

    account: object  # StateAccount, with person and system loaded
    due_at: datetime | None  # when it had to be disabled (24 h after separation or transfer), if it has to be
    hours_late: float  # past due_at: until disabled, or until ``now`` while still not disabled
    inactive_since: date | None  # R-AC-3: last login (or activation) when it counts as unused
    inactive_due: date | None  # R-AC-3: disable by this date, when flagged

    @property
    def status(self) -> str:
        return self.account.status

    @property
    def disabled_at(self):
        return self.account.disabled_at

    @property
    def is_late(self) -> bool:
        """Still not disabled past its R-AC-2 due moment: red on the dashboard."""
        return self.hours_late > 0 and self.account.status != "disabled"


@dataclass(frozen=True)
class PersonAccounts:
    person: object  # Person
    access_ended_at: datetime | None  # the first separation or transfer (each account counts from its own)
    accounts: list[AccountTiming]


def agency_accounts(*, agency, now: datetime | None = None, accounts=None,
                    with_actors: bool = True) -> list[PersonAccounts]:
    """For an agency: each person with accounts, every account (not voided) with its status, when it was
    due for disablement (R-AC-2), when it was disabled and how many hours late; R-AC-3 inactivity too.

    ``accounts`` may pass a scoped StateAccount queryset (a page's ``for_user``); otherwise every account of
    the agency (the audit packet). ``with_actors`` also loads who took each step. Three queries, whatever the
    size of the agency.
    """
    now = now or timezone.now()
    today = now.astimezone(agency.zone).date()
    rules = rule_table()
    disable_rule = rule_or_default(rules, "account_disable")
    inactivity = rule_or_default(rules, "account_inactivity")
    inactive = rule_or_default(rules, "account_inactive")
    queryset = accounts if accounts is not None else StateAccount.objects.all()
    rows = (queryset.filter(person__agency=agency, voided_at__isnull=True)
            .select_related("person", "system",
                            *(("requested_by", "activated_by", "disable_requested_by", "disabled_by")
                              if with_actors else ()))
            .order_by("person__last_name", "person__first_name", "person_id", "system__name", "requested_at"))
    transfers = _transfers([agency.pk], rows.order_by().values("person_id"))  # of these accounts' people only
    people: dict[int, PersonAccounts] = {}
    for account in rows:
        person = account.person
        if person.pk not in people:
            ended = access_ended_at(person.separated_at, transfers.get(person.pk, []))
            people[person.pk] = PersonAccounts(person=person, access_ended_at=ended, accounts=[])
        # R-AC-2: a transfer before this account was requested does not count for it
        ended = access_ended_at(person.separated_at, transfers.get(person.pk, []), requested_at=account.requested_at)
        due_at = disablement_due_at(ended, disable_rule) if ended else None
        late = hours_late(due_at, account.disabled_at, now) if due_at else 0.0
        since = inactive_due = None
        if account.is_enabled:
            since = inactivity_since(account, agency.zone)
            flagged_on = inactivity.add_period(since) if since else None
            if flagged_on and flagged_on <= today:
                inactive_due = inactive.add_period(flagged_on)
        people[person.pk].accounts.append(AccountTiming(account=account, due_at=due_at, hours_late=late,
                                                        inactive_since=since, inactive_due=inactive_due))
    return list(people.values())


def usable_systems(*, user, agency):
    """R-AC-1: the state's systems and the agency's own (read through its scoping)."""
    own = StateSystem.objects.for_user(user).in_agency(agency).values("pk")
    return StateSystem.objects.filter(models.Q(agency__isnull=True) | models.Q(pk__in=own)).order_by(
        models.F("agency").asc(nulls_first=True), "name")


def person_accounts(*, person, accounts):
    """One person's accounts (a scoped queryset) with who did each step, newest request first per system."""
    return list(accounts.filter(person=person).select_related(
        "system", "requested_by", "activated_by", "disable_requested_by", "disabled_by").order_by(
        "system__name", "-requested_at"))


@dataclass(frozen=True)
class AccessReviewSummary:
    """R-AC-4 for one agency: the last signed review, an open one, when the next is due and its status."""

    last_signed: object | None
    open_review: object | None
    due: date | None
    status: str


def access_review_summary(*, agency, today: date | None = None) -> AccessReviewSummary:
    """Three queries, always. The review belongs to the agency: the dashboard shows it, the person report does not."""
    today = today or agency_today(agency)
    rule = rule_or_default(rule_table(), "access_review")
    reviews = AccessReview.objects.filter(agency=agency).select_related("signed_by")
    last = reviews.filter(signed_at__isnull=False).order_by("-signed_at").first()
    open_review = reviews.filter(signed_at__isnull=True).first()
    # asked whether or not a review was signed, so the pages' query count does not depend on the data (issue 23)
    first = list(StateAccount.objects.filter(person__agency=agency, voided_at__isnull=True, activated_at__isnull=False)
                 .order_by("activated_at").values_list("activated_at", flat=True)[:1])  # from the index's start
    first_active = None
    if last is None:
        first_active = first[0].astimezone(agency.zone).date() if first else None
    due = access_review_due(last_signed_on=last.signed_on if last else None, first_active_on=first_active, rule=rule)
    return AccessReviewSummary(last_signed=last, open_review=open_review, due=due,
                               status=access_review_status(due=due, today=today, rule=rule))


def _enabled(accounts):
    return accounts.filter(voided_at__isnull=True,
                           status__in=[StateAccount.Status.ACTIVE, StateAccount.Status.DISABLE_REQUESTED])


def accounts_of_ended_access(*, agency, accounts):
    """R-AC-2: the enabled accounts of people who separated or transferred (``agency_accounts`` says how late)."""
    transferred = DutyTransfer.objects.filter(person__agency=agency, voided_at__isnull=True).values("person_id")
    # the few people whose access ended first, then their accounts (not every account tested against both, issue 23)
    # read first, as a list: inside the accounts' query the planner guessed half the agency for "separated or
    # transferred" and hashed every person of it to find none (the dashboard's late list, issue 23)
    ended = list(Person.objects.filter(agency=agency).filter(
        models.Q(separated_at__isnull=False) | models.Q(pk__in=transferred)).values_list("pk", flat=True))
    return _enabled(accounts).filter(person__in=ended)


def unused_accounts(*, agency, accounts, today: date):
    """R-AC-3: enabled accounts with no login (nor activation) on or after the cut-off day: flagged for
    disablement. Exact in the database: the last login and the activation are both on or before the cut-off."""
    inactivity = rule_or_default(rule_table(), "account_inactivity")
    cutoff = today - (inactivity.add_period(today) - today)
    day_after = datetime.combine(cutoff + timedelta(days=1), datetime.min.time(), tzinfo=agency.zone)
    return _enabled(accounts).filter(activated_at__lt=day_after).filter(
        models.Q(last_login_on__isnull=True) | models.Q(last_login_on__lte=cutoff))


def not_eligible_with_active_accounts(*, agency, people, accounts):
    """R-PE-3, R-AC-1: the people (of the scoped ``people``) whose stored verdict is not eligible — must be suspended
    or not yet eligible — who still hold an active account (a queryset: the page counts it and lists the first)."""
    active = accounts.filter(status=StateAccount.Status.ACTIVE, voided_at__isnull=True)
    # semi-joins, not a JOIN over ~100,000 stored obligations + DISTINCT (1.4 s on the dashboard at 10,000, issue 23)
    not_eligible = StoredObligation.objects.filter(agency=agency, verdict__in=[MUST_BE_SUSPENDED, NOT_YET_ELIGIBLE])
    return (people.filter(agency=agency, pk__in=active.values("person_id"))
            .filter(pk__in=not_eligible.values("person_id")).order_by("last_name", "first_name", "pk"))


def count_not_eligible_with_active_accounts(*, agency_id: int) -> int:
    """The agency-wide count of ``not_eligible_with_active_accounts``, kept with the stored obligations when they
    are written (compliance.AgencyComputation.figures): the dashboard's accounts panel reads it (issue 23)."""
    agency = Agency(pk=agency_id)
    return not_eligible_with_active_accounts(agency=agency, people=Person.objects.filter(agency_id=agency_id),
                                             accounts=StateAccount.objects.filter(person__agency_id=agency_id)).count()
