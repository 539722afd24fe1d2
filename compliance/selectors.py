"""Reads that run the engine over whole agencies, in a fixed number of queries (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from people.models import Agency, Person

from . import engine
from .models import RuleSetting
from .registry import obligation_names, providers


def agency_today(agency: Agency) -> date:
    """Today as a calendar date in the agency's time zone."""
    return timezone.localdate(timezone=agency.zone)


def rule_table() -> dict[str, engine.Rule]:
    return {setting.obligation: setting.as_rule() for setting in RuleSetting.objects.all()}


def _facts(row: dict) -> engine.PersonFacts:
    return engine.PersonFacts(
        pk=row["pk"], employee_id=row["employee_id"], name=f"{row['last_name']}, {row['first_name']}",
        assigned_on=row["assigned_on"], role_tier=row["role_tier"],
        is_separated=row["status"] == Person.Status.SEPARATED, supervisor_id=row["supervisor_id"],
    )


def agency_compliance(*, people, agency: Agency, today: date | None = None) -> list[engine.PersonCompliance]:
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
    records = {p.name: p.load([agency.pk]) for p in registered}
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
    suspended: list[engine.PersonCompliance]
    rows: list[tuple[engine.PersonCompliance, engine.Obligation]]  # the worklist, filtered, by due date
    people_count: int


def dashboard(*, people, agency: Agency, today: date | None = None, obligation: str = "", status: str = "",
              supervisor_id: int | None = None, tier: int | None = None) -> Dashboard:
    """Counts per obligation and status, the people who must be suspended, and the filtered worklist."""
    results = agency_compliance(people=people, agency=agency, today=today)
    names = obligation_names()
    counts = {name: dict.fromkeys(engine.STATUSES, 0) for name in names}
    rows = []
    for result in results:
        person = result.person
        if supervisor_id and person.supervisor_id != supervisor_id:
            continue
        if tier and person.role_tier != tier:
            continue
        for item in result.obligations:
            counts.setdefault(item.obligation, dict.fromkeys(engine.STATUSES, 0))[item.status] += 1
            if obligation and item.obligation != obligation:
                continue
            if status and item.status != status:
                continue
            if not status and item.status in (engine.DONE, engine.NOT_REQUIRED):
                continue  # the worklist shows what needs doing unless a status is asked for
            rows.append((result, item))
    suspended = [r for r in results if r.verdict.applicable and not r.verdict.eligible]
    suspended_pks = {r.person.pk for r in suspended}
    # the people who must be suspended come first, then by due date
    rows.sort(key=lambda pair: (pair[0].person.pk not in suspended_pks, pair[1].due or date.max, pair[0].person.name))
    return Dashboard(today=today or agency_today(agency), obligations=names, counts=counts,
                     suspended=suspended, rows=rows, people_count=len(results))
