"""The state's picture: every agency's stored figures in one table, in a fixed number of queries (issue 20).

Reads only what is stored (the engine's stored obligations, audits, validation lists, agreements, security-log
reviews): no engine run and no write inside a request. The number of queries is the same at 20 agencies and at
200 (tests/statewide/test_selectors.py pins it; bench/statewide.py measures it).

Who sees what: the state auditor and the state training unit read every agency's *figures* here; the agencies
come from ``Agency.objects.for_user`` (people/scoping.py), so nobody else gets a row they could not enter.
Opening an agency goes through the agency switch, where the normal scoping of each record applies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, JSONField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import rules as security_rules
from accounts.models import SecurityLogReview
from agreements import rules as agreement_rules
from agreements.defaults import AGREEMENT_RULES
from agreements.models import Agreement, AgreementReview, AgreementSignatory
from audit import rules as audit_rules
from audit.defaults import AUDIT_RULES
from audit.models import Audit, Finding
from compliance import engine
from compliance.models import AgencyComputation
from compliance.selectors import rule_table
from people.models import Agency, Membership, Person
from validations import rules as validation_rules
from validations.models import ValidationCycle

# the verdict vocabulary (compliance.engine, R-PE-3); "suspend" was the stored value before the verdict codes
ELIGIBLE, NOT_YET_ELIGIBLE = engine.ELIGIBLE, engine.NOT_YET_ELIGIBLE
MUST_BE_SUSPENDED, SEPARATED = engine.MUST_BE_SUSPENDED, engine.SEPARATED
VERDICT_BUCKETS = {**{code: code for code in engine.VERDICTS}, "suspend": MUST_BE_SUSPENDED}
VERDICT_LABELS = engine.VERDICT_LABELS

AUDIT_SOON_DAYS = 90  # the "audits due in the next 90 days" filter


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str = ""  # no phone is stored for a user or person today


@dataclass
class AgencyRow:
    """One agency's stored figures, as its own dashboard shows them."""

    pk: int
    ori: str
    name: str
    today: date
    leds_representatives: list[Contact] = field(default_factory=list)
    lasos: list[Contact] = field(default_factory=list)
    verdicts: dict[str, int] = field(default_factory=dict)  # verdict code -> people
    overdue: int = 0  # overdue obligations
    validation_due_on: date | None = None
    at_risk_of_purge: bool = False
    last_audit_on: date | None = None
    next_audit_on: date | None = None
    open_corrective_actions: int = 0
    agreements_lapsed: int = 0
    agreements_to_resign: int = 0
    agreements_review_due: int = 0  # review overdue or due soon (R-AGR-2)
    security_review_at: datetime | None = None
    security_review_overdue: bool = False
    computed_at: datetime | None = None

    @property
    def eligible(self) -> int:
        return self.verdicts.get(ELIGIBLE, 0)

    @property
    def not_yet_eligible(self) -> int:
        return self.verdicts.get(NOT_YET_ELIGIBLE, 0)

    @property
    def must_be_suspended(self) -> int:
        return self.verdicts.get(MUST_BE_SUSPENDED, 0)

    @property
    def audit_overdue(self) -> bool:
        return bool(self.next_audit_on and self.next_audit_on < self.today)

    @property
    def audit_days_left(self) -> int | None:
        return (self.next_audit_on - self.today).days if self.next_audit_on else None

    @property
    def leds_representative_names(self) -> str:
        return "; ".join(c.name for c in self.leds_representatives)

    @property
    def laso_names(self) -> str:
        return "; ".join(c.name for c in self.lasos)


def _separated_on(status: str, separated_at: datetime | None, zone) -> date | None:
    """As agreements.selectors.facts_of: the day (agency time) a signing official separated, if they did."""
    if status != Person.Status.SEPARATED or separated_at is None:
        return None
    return timezone.localtime(separated_at, zone).date()


def _agencies(user):
    """The agencies ``user`` may enter, each annotated with its stored dates (one query)."""
    osp_audits = Audit.objects.filter(agency=OuterRef("pk"), auditor=Audit.Auditor.OSP, voided_at__isnull=True)
    open_findings = (Finding.objects.filter(audit__agency=OuterRef("pk"), audit__voided_at__isnull=True,
                                            voided_at__isnull=True, completed_on__isnull=True)
                     .order_by().values("audit__agency").annotate(n=Count("pk")).values("n"))
    cycles = ValidationCycle.objects.all()
    computations = AgencyComputation.objects.filter(agency=OuterRef("pk"))
    return (
        Agency.objects.for_user(user)
        .annotate(
            last_audit_on=Subquery(osp_audits.order_by("-audited_on", "-pk").values("audited_on")[:1]),
            open_findings=Coalesce(Subquery(open_findings[:1]), 0),
            # R-VA-3: the list the agency works on is the oldest uncertified one, else the latest
            open_cycle_due=Subquery(cycles.filter(agency=OuterRef("pk"), certified_at__isnull=True)
                                    .order_by("received_on", "pk").values("due_on")[:1]),
            latest_cycle_due=Subquery(cycles.filter(agency=OuterRef("pk")).order_by("-received_on", "-pk")
                                      .values("due_on")[:1]),
            security_review_at=Subquery(SecurityLogReview.objects.filter(agency=OuterRef("pk"))
                                        .order_by("-reviewed_at").values("reviewed_at")[:1]),
            computed_at=Subquery(computations.values("computed_at")[:1]),
            verdict_counts=Subquery(computations.values("verdict_counts")[:1], output_field=JSONField()),
            overdue_count=Subquery(computations.values("overdue_count")[:1]),
        )
        .order_by("name", "pk")
    )


def _rules():
    table = rule_table()
    defaults = {o: engine.Rule(o, rid, title, value, unit, tuple(sorted(lead, reverse=True)))
                for o, rid, title, value, unit, lead in (*AUDIT_RULES, *AGREEMENT_RULES)}
    pick = {name: table.get(name, defaults[name])
            for name in (audit_rules.STATE_AUDIT, agreement_rules.REVIEW, agreement_rules.RESIGN)}
    return pick


def statewide_rows(*, user, now: datetime | None = None) -> list[AgencyRow]:
    """Every agency ``user`` may enter, with its figures. Six queries whatever the number of agencies.

    Agreements are judged by ``agreements.rules.standing`` over plain values, as ``agreements.selectors.facts_of``
    builds them (tests/statewide/test_dashboard.py holds the two to the same answer over the demo agencies).
    """
    now = now or timezone.now()
    rules = _rules()  # 1 query (the rule table)
    rows: dict[int, AgencyRow] = {}
    zones = {}
    for agency in _agencies(user):  # 1 query
        zones[agency.pk] = agency.zone
        today = timezone.localdate(now, timezone=agency.zone)
        uncertified_due = agency.open_cycle_due
        last = agency.last_audit_on
        rows[agency.pk] = AgencyRow(
            pk=agency.pk, ori=agency.ori, name=agency.name, today=today,
            validation_due_on=uncertified_due or agency.latest_cycle_due,
            at_risk_of_purge=bool(uncertified_due) and validation_rules.is_at_risk_of_purge(
                due_on=uncertified_due, is_certified=False, today=today),
            last_audit_on=last,
            next_audit_on=audit_rules.next_audit_due(last_audited_on=last, rule=rules[audit_rules.STATE_AUDIT]),
            open_corrective_actions=agency.open_findings,
            security_review_at=agency.security_review_at,
            security_review_overdue=security_rules.review_overdue(
                last_reviewed_at=agency.security_review_at, now=now, every_days=settings.SECURITY_LOG_REVIEW_DAYS),
            computed_at=agency.computed_at,
            overdue=agency.overdue_count or 0,
        )
        # people by verdict and overdue obligations: stored with the agency's obligations (compliance/obligations.py)
        for code, people in (agency.verdict_counts or {}).items():
            bucket = VERDICT_BUCKETS.get(code, code)
            rows[agency.pk].verdicts[bucket] = rows[agency.pk].verdicts.get(bucket, 0) + people
    ids = list(rows)
    # the LEDS Representatives and LASOs (R-AG-1): 1 query
    holders = (Membership.objects.filter(agency_id__in=ids, role__in=[Membership.Role.LEDS_REPRESENTATIVE,
                                                                       Membership.Role.LASO])
               .order_by("agency_id", "is_alternate", "user__last_name", "user__username")
               .values_list("agency_id", "role", "user__username", "user__first_name", "user__last_name",
                            "user__email", "user__person__first_name", "user__person__last_name",
                            "user__person__email"))
    for agency_id, role, username, first, last, email, p_first, p_last, p_email in holders:
        row = rows[agency_id]
        name = f"{p_first} {p_last}".strip() if p_last else (f"{first} {last}".strip() or username)
        contact = Contact(name=name, email=email or p_email or "")
        (row.leds_representatives if role == Membership.Role.LEDS_REPRESENTATIVE else row.lasos).append(contact)
    # agreements (R-AGR-2): 3 queries (agreements, signing officials with their people, reviews), as plain values
    officials: dict[int, list] = defaultdict(list)
    for agreement_id, name, signed_on, status, separated_at, first, last in (
            AgreementSignatory.objects.filter(agreement__agency_id__in=ids, agreement__voided_at__isnull=True,
                                              is_signing_official=True, person__isnull=False, voided_at__isnull=True)
            .values_list("agreement_id", "name", "signed_on", "person__status", "person__separated_at",
                         "person__first_name", "person__last_name")):
        officials[agreement_id].append((name or f"{first} {last}", signed_on, status, separated_at))
    reviewed: dict[int, date] = dict(
        AgreementReview.objects.filter(agreement__agency_id__in=ids, agreement__voided_at__isnull=True,
                                       voided_at__isnull=True)
        .order_by().values("agreement_id").annotate(last=Max("reviewed_on")).values_list("agreement_id", "last"))
    for pk, agency_id, effective_on, ends_on in (Agreement.objects.filter(agency_id__in=ids, voided_at__isnull=True)
                                                 .values_list("pk", "agency_id", "effective_on", "ends_on")):
        row = rows[agency_id]
        facts = agreement_rules.AgreementFacts(
            effective_on=effective_on, ends_on=ends_on, last_reviewed_on=reviewed.get(pk),
            signing_officials=tuple(
                agreement_rules.SigningOfficial(name=name, signed_on=signed_on, separated_on=_separated_on(
                    status, separated_at, zones[agency_id]))
                for name, signed_on, status, separated_at in officials.get(pk, ())))
        standing = agreement_rules.standing(facts, review_rule=rules[agreement_rules.REVIEW],
                                            resign_rule=rules[agreement_rules.RESIGN], today=row.today)
        if standing.status == agreement_rules.LAPSED:
            row.agreements_lapsed += 1
        elif standing.status == agreement_rules.RESIGN_NEEDED:
            row.agreements_to_resign += 1
        elif standing.status in (agreement_rules.REVIEW_OVERDUE, agreement_rules.REVIEW_DUE_SOON):
            row.agreements_review_due += 1
    return list(rows.values())


# --- filters, sorting, totals --------------------------------------------------------------------------

FILTERS = {
    "suspend": ("Anyone must be suspended", lambda r: r.must_be_suspended > 0),
    "overdue": ("Overdue obligations", lambda r: r.overdue > 0),
    "purge": ("Validation list at risk of purge", lambda r: r.at_risk_of_purge),
    "audit_soon": (f"Audit due in the next {AUDIT_SOON_DAYS} days or overdue",
                   lambda r: r.next_audit_on is not None and r.next_audit_on <= r.today + timedelta(AUDIT_SOON_DAYS)),
    "no_audit": ("No state audit on record", lambda r: r.last_audit_on is None),
    "findings": ("Open corrective actions", lambda r: r.open_corrective_actions > 0),
    "agreements": ("Agreements lapsed or to re-sign", lambda r: r.agreements_lapsed + r.agreements_to_resign > 0),
    "security_log": ("Security-log review overdue", lambda r: r.security_review_overdue),
}

_FAR = date.max


SORTS = {
    "name": lambda r: (r.name.lower(), r.ori),
    "ori": lambda r: r.ori,
    "eligible": lambda r: r.eligible,
    "not_yet_eligible": lambda r: r.not_yet_eligible,
    "must_be_suspended": lambda r: r.must_be_suspended,
    "overdue": lambda r: r.overdue,
    "validation_due": lambda r: r.validation_due_on or _FAR,
    "next_audit": lambda r: r.next_audit_on or date.min,  # never audited sorts first: it is the most overdue
    "findings": lambda r: r.open_corrective_actions,
    "agreements": lambda r: (r.agreements_lapsed, r.agreements_to_resign, r.agreements_review_due),
}


def filter_rows(rows: list[AgencyRow], *, query: str = "", flags: list[str] = ()) -> list[AgencyRow]:
    """Rows matching every chosen filter and the search words (ORI or name)."""
    words = (query or "").lower().split()
    chosen = [FILTERS[f][1] for f in flags if f in FILTERS]
    return [r for r in rows
            if all(w in r.name.lower() or w in r.ori.lower() for w in words) and all(test(r) for test in chosen)]


def sort_rows(rows: list[AgencyRow], sort: str) -> list[AgencyRow]:
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "name", "name"
    ordered = sorted(rows, key=lambda r: (r.name.lower(), r.ori))
    return sorted(ordered, key=SORTS[key], reverse=sort.startswith("-"))


@dataclass
class Totals:
    agencies: int = 0
    eligible: int = 0
    not_yet_eligible: int = 0
    must_be_suspended: int = 0
    agencies_suspending: int = 0
    overdue: int = 0
    at_risk_of_purge: int = 0
    audits_overdue: int = 0
    never_audited: int = 0
    open_corrective_actions: int = 0
    agreements_lapsed: int = 0
    agreements_to_resign: int = 0
    security_reviews_overdue: int = 0


def totals(rows: list[AgencyRow]) -> Totals:
    total = Totals(agencies=len(rows))
    for r in rows:
        total.eligible += r.eligible
        total.not_yet_eligible += r.not_yet_eligible
        total.must_be_suspended += r.must_be_suspended
        total.agencies_suspending += r.must_be_suspended > 0
        total.overdue += r.overdue
        total.at_risk_of_purge += r.at_risk_of_purge
        total.audits_overdue += r.audit_overdue
        total.never_audited += r.last_audit_on is None
        total.open_corrective_actions += r.open_corrective_actions
        total.agreements_lapsed += r.agreements_lapsed
        total.agreements_to_resign += r.agreements_to_resign
        total.security_reviews_overdue += r.security_review_overdue
    return total


def audit_calendar(rows: list[AgencyRow]) -> list[AgencyRow]:
    """R-AU-1's triennial calendar: never audited first, then overdue, then by next due date."""
    return sorted(rows, key=lambda r: (r.next_audit_on is not None, r.next_audit_on or date.min, r.name.lower()))


__all__ = ["AgencyRow", "audit_calendar", "filter_rows", "sort_rows", "statewide_rows", "totals"]
