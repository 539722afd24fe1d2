"""Reads that run the engine over whole agencies, in a fixed number of queries (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Value, When
from django.utils import timezone

from people.models import Agency, Person

from . import engine
from .defaults import DEFAULT_RULES
from .models import RuleSetting
from .registry import obligation_names, providers


def agency_today(agency: Agency) -> date:
    """Today as a calendar date in the agency's time zone."""
    return timezone.localdate(timezone=agency.zone)


def rule_table() -> dict[str, engine.Rule]:
    """The rule table as plain data; an obligation without a row falls back to RULES.md's default."""
    rules = {obligation: engine.Rule(obligation, rule_id, title, value, unit, tuple(sorted(lead, reverse=True)))
             for obligation, rule_id, title, value, unit, lead in DEFAULT_RULES}
    rules.update((setting.obligation, setting.as_rule()) for setting in RuleSetting.objects.all())
    return rules


def _facts(row: dict) -> engine.PersonFacts:
    return engine.PersonFacts(
        pk=row["pk"], employee_id=row["employee_id"], name=f"{row['last_name']}, {row['first_name']}",
        assigned_on=row["assigned_on"], role_tier=row["role_tier"],
        is_separated=row["status"] == Person.Status.SEPARATED, supervisor_id=row["supervisor_id"],
    )


def agency_compliance(*, people, agency: Agency, today: date | None = None,
                      person_ids: list[int] | None = None) -> list[engine.PersonCompliance]:
    """Every person in ``people`` (a scoped Person queryset of one agency), evaluated by the engine.

    Queries: one for the people, one for the rule table, and a fixed number per provider — the same
    at 10 people and at 10,000.
    """
    today = today or agency_today(agency)
    rows = people.order_by("employee_id").values(
        "pk", "employee_id", "last_name", "first_name", "assigned_on", "role_tier", "status", "supervisor_id"
    )
    facts = [_facts(row) for row in rows]
    rules = rule_table()
    registered = providers()
    records = {p.name: p.load([agency.pk], person_ids) for p in registered}
    evaluators = [(p.name, p.evaluate) for p in registered]
    return engine.evaluate_agency(facts, records, rules, today, evaluators)


def person_compliance(*, person: Person, today: date | None = None) -> engine.PersonCompliance:
    today = today or agency_today(person.agency)
    row = {"pk": person.pk, "employee_id": person.employee_id, "last_name": person.last_name,
           "first_name": person.first_name, "assigned_on": person.assigned_on, "role_tier": person.role_tier,
           "status": person.status, "supervisor_id": person.supervisor_id}
    registered = providers()
    records = {p.name: p.load([person.agency_id], [person.pk]).get(person.pk) for p in registered}
    return engine.evaluate_person(_facts(row), records, rule_table(), today, [(p.name, p.evaluate) for p in registered])


@dataclass
class Dashboard:
    today: date
    obligations: list[str]
    counts: dict[str, dict[str, int]]  # obligation -> status -> people
    suspended_count: int
    suspended: list  # the first people who must be suspended (Person)
    rows: object  # the worklist: StoredObligation queryset, filtered, suspended people first, by due date
    people_count: int
    freshness: Freshness | None = None


@dataclass(frozen=True)
class Freshness:
    """How current the stored obligations are: "as of HH:MM", and whether a refresh is on its way (issue 23)."""

    computed_at: object  # datetime | None: never computed yet
    computed_for: date | None
    is_pending: bool  # writes marked stale, or a new day, that the refresh task has not caught up with


def freshness(*, agency: Agency, today: date | None = None) -> Freshness:
    """One query: the agency's last computation and whether anything is marked stale since."""
    from django.db.models import Exists, OuterRef

    from .models import AgencyComputation, StaleMark

    today = today or agency_today(agency)
    row = (AgencyComputation.objects.filter(agency=agency)
           .annotate(stale=Exists(StaleMark.objects.filter(agency_id=OuterRef("agency_id"))))
           .values("computed_at", "computed_for", "stale").first())
    if row is None:
        return Freshness(None, None, True)
    return Freshness(row["computed_at"], row["computed_for"], row["stale"] or row["computed_for"] != today)


def dashboard(*, people, agency: Agency, today: date | None = None, obligation: str = "", status: str = "",
              supervisor_id: int | None = None, tier: int | None = None, whole_agency: bool = False) -> Dashboard:
    """Counts per obligation and status, the people who must be suspended, and the filtered worklist.

    Reads the stored obligations the engine computed (compliance/obligations.py keeps them fresh; a request never
    recomputes, issue 23): a fixed number of queries, whatever the size of the agency.
    """
    from .models import StoredObligation

    today = today or agency_today(agency)
    if supervisor_id:
        people = people.filter(supervisor_id=supervisor_id)
    if tier:
        people = people.filter(role_tier=tier)
    stored = StoredObligation.objects.filter(agency=agency)
    if supervisor_id or tier or not whole_agency:  # a supervisor's chain, or a filter: only those people
        stored = stored.filter(person__in=people.values("pk"))
    names = obligation_names()
    counts = {name: dict.fromkeys(engine.STATUSES, 0) for name in names}
    for row in stored.values("obligation", "status").annotate(n=Count("pk")):
        counts.setdefault(row["obligation"], dict.fromkeys(engine.STATUSES, 0))[row["status"]] = row["n"]
    suspended_people = people.filter(pk__in=stored.filter(verdict="suspend").values("person_id")).order_by(
        "last_name", "first_name")
    rows = stored
    if obligation:
        rows = rows.filter(obligation=obligation)
    # the worklist shows what needs doing unless a status is asked for
    needs_doing = rows.exclude(status__in=[engine.DONE, engine.NOT_REQUIRED])
    rows = rows.filter(status=status) if status else needs_doing
    rows = rows.select_related("person").annotate(
        suspended_first=Case(When(verdict="suspend", then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("suspended_first", F("due").asc(nulls_last=True), "person__last_name", "person__first_name", "pk")
    return Dashboard(today=today, obligations=names, counts=counts, suspended_count=suspended_people.count(),
                     suspended=list(suspended_people[:10]), rows=rows, people_count=people.count(),
                     freshness=freshness(agency=agency, today=today))
