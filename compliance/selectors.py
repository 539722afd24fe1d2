"""Reads that run the engine over whole agencies, in a fixed number of queries (DESIGN.md)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef
from django.utils import timezone

from people.models import Agency, Person

from . import engine
from .defaults import DEFAULT_RULES
from .models import AgencyComputation, RuleSetting, StaleMark, StoredObligation
from .registry import obligation_names, providers


def agency_today(agency: Agency) -> date:
    """Today as a calendar date in the agency's time zone."""
    return timezone.localdate(timezone=agency.zone)


# one request's rule table (compliance.middleware.RuleTableMiddleware opens the scope): a dashboard asks for it
# from six panels, and the table changes only when an administrator edits it (issue 23)
_request_rules: ContextVar[dict | None] = ContextVar("request_rules", default=None)


def rule_table() -> dict[str, engine.Rule]:
    """The rule table as plain data; an obligation without a row falls back to RULES.md's default.

    Read once per request inside a request (the middleware's scope), from the database every time elsewhere."""
    scope = _request_rules.get()
    if scope is not None and "rules" in scope:
        return dict(scope["rules"])
    rules = {obligation: engine.Rule(obligation, rule_id, title, value, unit, tuple(sorted(lead, reverse=True)))
             for obligation, rule_id, title, value, unit, lead in DEFAULT_RULES}
    rules.update((setting.obligation, setting.as_rule()) for setting in RuleSetting.objects.all())
    if scope is not None:
        scope["rules"] = rules
    return dict(rules)


def open_rule_scope():
    """Start one request's rule table (read at its first use); ``close_rule_scope(token)`` ends it."""
    return _request_rules.set({})


def close_rule_scope(token) -> None:
    _request_rules.reset(token)


def forget_rule_table() -> None:
    """The rule table changed in this request: its next read goes to the database."""
    scope = _request_rules.get()
    if scope is not None:
        scope.pop("rules", None)


def _is_separated(row: dict, agency: Agency, today: date) -> bool:
    """Separated by status, or by a separation date that has passed (R-PE-2: a separation dated in the future
    takes effect on that date; the roster import keeps such a person active with the date set)."""
    if row["status"] == Person.Status.SEPARATED:
        return True
    moment = row.get("separated_at")
    return moment is not None and timezone.localtime(moment, agency.zone).date() < today


def _facts(row: dict, agency: Agency, today: date) -> engine.PersonFacts:
    return engine.PersonFacts(
        pk=row["pk"], employee_id=row["employee_id"], name=f"{row['last_name']}, {row['first_name']}",
        assigned_on=row["assigned_on"], role_tier=row["role_tier"],
        is_separated=(separated := _is_separated(row, agency, today)), supervisor_id=row["supervisor_id"],
        status=Person.Status.SEPARATED if separated else row["status"],
    )


def agency_compliance(*, people, agency: Agency, today: date | None = None,
                      person_ids: list[int] | None = None) -> list[engine.PersonCompliance]:
    """Every person in ``people`` (a scoped Person queryset of one agency), evaluated by the engine.

    Queries: one for the people, one for the rule table, and a fixed number per provider — the same
    at 10 people and at 10,000.
    """
    today = today or agency_today(agency)
    rows = people.order_by("employee_id").values(
        "pk", "employee_id", "last_name", "first_name", "assigned_on", "role_tier", "status", "supervisor_id",
        "separated_at",
    )
    facts = [_facts(row, agency, today) for row in rows]
    rules = rule_table()
    registered = providers()
    records = {p.name: p.load([agency.pk], person_ids) for p in registered}
    evaluators = [(p.name, p.evaluate) for p in registered]
    return engine.evaluate_agency(facts, records, rules, today, evaluators)


def person_compliance(*, person: Person, today: date | None = None) -> engine.PersonCompliance:
    today = today or agency_today(person.agency)
    row = {"pk": person.pk, "employee_id": person.employee_id, "last_name": person.last_name,
           "first_name": person.first_name, "assigned_on": person.assigned_on, "role_tier": person.role_tier,
           "status": person.status, "supervisor_id": person.supervisor_id, "separated_at": person.separated_at}
    registered = providers()
    records = {p.name: p.load([person.agency_id], [person.pk]).get(person.pk) for p in registered}
    return engine.evaluate_person(_facts(row, person.agency, today), records, rule_table(), today,
                                  [(p.name, p.evaluate) for p in registered])


def roster_with_verdicts(people, *, agency: Agency, filters: dict):
    """The roster's people, each annotated with ``verdict`` and ``verdict_reasons`` from the stored obligations
    (R-PE-3), filtered by ``filters["verdict"]`` when it names a verdict. Two subqueries, no query per person; it
    reads what is stored, never recomputes (issue 23)."""
    from django.db.models import OuterRef, Subquery

    # every row of a person carries the same verdict: any one will do. No ORDER BY: with "ORDER BY id LIMIT 1"
    # PostgreSQL walked the primary key through ~100,000 rows per person (a 10,000-person roster export took
    # minutes, bench/pages.py); this way it uses the person index (issue 23)
    first = StoredObligation.objects.filter(person=OuterRef("pk")).order_by()
    people = people.annotate(verdict=Subquery(first.values("verdict")[:1]),
                             verdict_reasons=Subquery(first.values("verdict_reasons")[:1]))
    verdict = filters.get("verdict") or ""
    if verdict in engine.VERDICTS:
        people = people.filter(verdict=verdict)
    return people


@dataclass
class Dashboard:
    today: date
    obligations: list[str]
    counts: dict[str, dict[str, int]]  # obligation -> status -> people
    suspended_count: int
    suspended: list  # the first people who must be suspended (Person)
    rows: object  # the worklist: StoredObligation queryset, filtered, suspended people first, by due date
    people_count: int
    verdict_counts: dict[str, int] = None  # verdict code -> people (R-PE-3), every code present
    not_yet_eligible: list = None  # the first people who are not yet eligible (Person)
    freshness: Freshness | None = None
    rows_count: int | None = None  # the worklist's length from the stored counts (None: count ``rows``)

    @property
    def verdict_rows(self) -> list[tuple[str, str, int]]:
        """(code, label, people) per verdict, who needs action first."""
        return [(code, engine.VERDICT_LABELS[code], self.verdict_counts[code]) for code in engine.VERDICTS]

    @property
    def not_yet_eligible_count(self) -> int:
        return self.verdict_counts[engine.NOT_YET_ELIGIBLE]


@dataclass(frozen=True)
class Freshness:
    """How current the stored obligations are: "as of HH:MM", and whether a refresh is on its way (issue 23)."""

    computed_at: object  # datetime | None: never computed yet
    computed_for: date | None
    is_pending: bool  # writes marked stale, or a new day, that the refresh task has not caught up with


def freshness(*, agency: Agency, today: date | None = None) -> Freshness:
    """One query: the agency's last computation and whether anything is marked stale since."""
    from django.db.models import Exists, OuterRef

    today = today or agency_today(agency)
    row = (AgencyComputation.objects.filter(agency=agency)
           .annotate(stale=Exists(StaleMark.objects.filter(agency_id=OuterRef("agency_id"))))
           .values("computed_at", "computed_for", "stale").first())
    if row is None:
        return Freshness(None, None, True)
    return Freshness(row["computed_at"], row["computed_for"], row["stale"] or row["computed_for"] != today)


def _stored_summary(agency: Agency, today: date):
    """One query: the figures the last refresh stored with the agency's obligations (None: none stored yet) and
    the freshness they carry (issue 23)."""
    row = (AgencyComputation.objects.filter(agency=agency)
           .annotate(stale=Exists(StaleMark.objects.filter(agency_id=OuterRef("agency_id"))))
           .values("computed_at", "computed_for", "stale", "verdict_counts", "worklist_counts").first())
    if row is None:
        return None, Freshness(None, None, True)
    fresh = Freshness(row["computed_at"], row["computed_for"], row["stale"] or row["computed_for"] != today)
    if row["worklist_counts"] is None:  # stored before the figures were (the next refresh writes them)
        return None, fresh
    return row, fresh


def _worklist_filter(*, verdict: str, obligation: str, status: str):
    """Which stored-count cells the worklist's filter keeps: (verdict, obligation, status) -> bool."""
    statuses = {status} if status else set(engine.STATUSES) - {engine.DONE, engine.NOT_REQUIRED}

    def keeps(cell_verdict: str, cell_obligation: str, cell_status: str) -> bool:
        return ((not verdict or cell_verdict == verdict) and (not obligation or cell_obligation == obligation)
                and cell_status in statuses)

    return keeps


def dashboard(*, people, agency: Agency, today: date | None = None, obligation: str = "", status: str = "",
              supervisor_id: int | None = None, tier: int | None = None, whole_agency: bool = False,
              verdict: str = "") -> Dashboard:
    """Counts per obligation and status and per verdict, the people who must be suspended or are not yet
    eligible, and the filtered worklist (``verdict``: only people with that verdict, R-PE-3).

    Reads the stored obligations the engine computed (compliance/obligations.py keeps them fresh; a request never
    recomputes, issue 23): a fixed number of queries, whatever the size of the agency. For the whole agency the
    counts are the ones the refresh stored with the obligations (``AgencyComputation``), and the worklist comes
    in the order of its index: nothing is counted or sorted per request.
    """

    today = today or agency_today(agency)
    if supervisor_id:
        people = people.filter(supervisor_id=supervisor_id)
    if tier:
        people = people.filter(role_tier=tier)
    stored = StoredObligation.objects.filter(agency=agency)
    chain = bool(supervisor_id or tier or not whole_agency)
    if chain:  # a supervisor's chain, or a filter: only those people
        stored = stored.filter(person__in=people.values("pk"))
    summary, fresh = _stored_summary(agency, today)
    names = obligation_names()
    counts = {name: dict.fromkeys(engine.STATUSES, 0) for name in names}
    verdict_counts = dict.fromkeys(engine.VERDICTS, 0)
    rows_count = None
    if summary is not None and not chain:
        keeps = _worklist_filter(verdict=verdict, obligation=obligation, status=status)
        rows_count = 0
        for cell_verdict, cell_obligation, cell_status, n in summary["worklist_counts"]:
            counts.setdefault(cell_obligation, dict.fromkeys(engine.STATUSES, 0))[cell_status] += n
            rows_count += n if keeps(cell_verdict, cell_obligation, cell_status) else 0
        verdict_counts.update(summary["verdict_counts"])
    else:
        for row in stored.values("obligation", "status").annotate(n=Count("pk")):
            counts.setdefault(row["obligation"], dict.fromkeys(engine.STATUSES, 0))[row["status"]] = row["n"]
        for row in stored.values("verdict").annotate(n=Count("person", distinct=True)):
            verdict_counts[row["verdict"]] = row["n"]
    suspended_people = people.filter(
        pk__in=stored.filter(verdict=engine.MUST_BE_SUSPENDED).values("person_id")).order_by("last_name", "first_name")
    waiting_people = people.filter(
        pk__in=stored.filter(verdict=engine.NOT_YET_ELIGIBLE).values("person_id")).order_by("last_name", "first_name")
    rows = stored
    if verdict:
        rows = rows.filter(verdict=verdict)
    if obligation:
        rows = rows.filter(obligation=obligation)
    # the worklist shows what needs doing unless a status is asked for
    needs_doing = rows.exclude(status__in=[engine.DONE, engine.NOT_REQUIRED])
    rows = rows.filter(status=status) if status else needs_doing
    # the stored sort keys, in the order of the "stored_worklist_order" index: who must be suspended first, then
    # who is not yet eligible (R-PE-3), by due date, by name
    rows = rows.select_related("person").order_by(
        "verdict_rank", F("due").asc(nulls_last=True), "person_last_name", "person_first_name", "pk")
    return Dashboard(today=today, obligations=names, counts=counts,
                     suspended_count=verdict_counts[engine.MUST_BE_SUSPENDED], suspended=list(suspended_people[:10]),
                     rows=rows, people_count=people.count(), verdict_counts=verdict_counts,
                     not_yet_eligible=list(waiting_people[:10]), freshness=fresh, rows_count=rows_count)
