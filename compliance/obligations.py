"""Keep the stored obligations (compliance.StoredObligation) equal to what the engine computes (issue 6).

The dashboard reads stored obligations so that a 10,000-person agency answers in a few queries; the
engine (compliance/engine.py) is still the only thing that computes them. ``ensure_fresh`` runs before
every read of the store, inside one transaction that locks the agency's ``AgencyComputation`` row:

* one query reads the newest ``history_id`` of every watched history table (people, the rule table, and
  what each provider lists in ``watches``, compliance/registry.py) — django-simple-history writes a row
  for every service, import, admin and shell write, so nothing needs to remember to say "I changed";
* a new day, a changed rule table or a watched table without a person field recomputes the agency;
* otherwise only the people named by the new history rows are recomputed (one query per changed table).

Two queries when nothing changed. A nightly Celery task (compliance.tasks.refresh_obligations) recomputes
every agency for the passing of days, so the morning's first reader does not wait, and it also catches
a history row that committed after a later one was seen (sequence order is not commit order).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone

from people.models import Agency, Person

from .engine import OVERDUE
from .models import AgencyComputation, RuleSetting, StoredObligation
from .registry import providers
from .selectors import agency_compliance, agency_today


def _watched() -> list[tuple[str, type, str | None]]:
    """(label, historical model, person field or None for the whole agency) for every watched table."""
    watched = [("people.person", Person.history.model, "id"),
               ("compliance.rulesetting", RuleSetting.history.model, None)]
    for provider in providers():
        for model, person_field in provider.watches:
            watched.append((model._meta.label_lower, model, person_field))
    return watched


def verdict_reasons(verdict) -> list[list]:
    """[[rule ID, is sensitive], ...] for the stored verdict: a rule is sensitive only if every reason citing it is."""
    sensitive: dict[str, bool] = {}
    for item in verdict.reasons:
        sensitive[item.rule_id] = sensitive.get(item.rule_id, True) and item.is_sensitive
    return [[rule_id, flag] for rule_id, flag in sensitive.items()]


def _rows(agency: Agency, results, today: date) -> list[StoredObligation]:
    rows = []
    for result in results:
        verdict = result.verdict.code  # R-PE-3: one of engine.VERDICTS
        reasons = verdict_reasons(result.verdict)
        for item in result.obligations:
            rows.append(StoredObligation(
                agency=agency, person_id=result.person.pk, obligation=item.obligation, rule_id=item.rule_id,
                title=item.title, status=item.status, due=item.due, satisfied_by=(item.satisfied_by or "")[:200],
                key=item.key, suspends_access=item.suspends_access, is_sensitive=item.is_sensitive,
                verdict=verdict, verdict_reasons=reasons, computed_for=today,
            ))
    return rows


def refresh(*, agency: Agency, today: date, person_ids: list[int] | None = None) -> int:
    """Recompute the agency (or some of its people) with the engine and store the result."""
    people = Person.objects.filter(agency=agency)
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    results = agency_compliance(people=people, agency=agency, today=today, person_ids=person_ids)
    rows = _rows(agency, results, today)
    with transaction.atomic():
        stored = StoredObligation.objects.filter(agency=agency)
        if person_ids is not None:
            stored = stored.filter(person_id__in=person_ids)
        stored.delete()
        StoredObligation.objects.bulk_create(rows, batch_size=5000)
        store_figures(agency=agency)
    return len(rows)


def store_figures(*, agency: Agency) -> None:
    """Keep the agency's figures (people per verdict, overdue obligations) with its stored obligations, in the same
    transaction, so the statewide view reads them per agency instead of counting every row (issue 20)."""
    from django.db.models import Count

    stored = StoredObligation.objects.filter(agency=agency)
    verdicts = dict(stored.order_by().values("verdict").annotate(n=Count("person", distinct=True))
                    .values_list("verdict", "n"))
    overdue = stored.filter(status=OVERDUE).count()
    updated = AgencyComputation.objects.filter(agency=agency).update(verdict_counts=verdicts, overdue_count=overdue)
    if not updated:
        AgencyComputation.objects.get_or_create(agency=agency, defaults={"verdict_counts": verdicts,
                                                                          "overdue_count": overdue})


def _locked_computation(agency: Agency, watched) -> AgencyComputation:
    """The agency's computation row, locked, annotated with every watched table's newest history_id."""
    newest = {f"w{i}": Subquery(model.objects.order_by("-history_id").values("history_id")[:1])
              for i, (_label, model, _field) in enumerate(watched)}
    query = AgencyComputation.objects.select_for_update(of=("self",)).filter(agency=agency).annotate(**newest)
    computation = query.first()
    if computation is None:
        AgencyComputation.objects.get_or_create(agency=agency)
        computation = query.first()
    return computation


def ensure_fresh(*, agency: Agency, today: date | None = None, force: bool = False) -> None:
    """Bring the agency's stored obligations up to date before they are read."""
    today = today or agency_today(agency)
    watched = _watched()
    with transaction.atomic():
        computation = _locked_computation(agency, watched)
        seen = computation.watermarks or {}
        current = {label: getattr(computation, f"w{i}") for i, (label, _m, _f) in enumerate(watched)}
        changed = [(label, model, person_field) for label, model, person_field in watched
                   if current[label] is not None and current[label] != seen.get(label)]
        whole = (force or computation.computed_for != today
                 or any(person_field is None for _l, _m, person_field in changed))
        if whole:
            refresh(agency=agency, today=today)
        elif changed:
            person_ids: set[int] = set()
            for label, model, person_field in changed:
                object_pk = model.instance_type._meta.pk.attname  # the record's id, kept in each history row
                touched = model.objects.filter(history_id__gt=seen.get(label) or 0,
                                               history_id__lte=current[label]).values(object_pk)
                # everyone the changed records name, now or before the change (an entry reassigned to another
                # validator leaves the first one's worklist too): one query per changed table
                named = model.objects.filter(**{f"{object_pk}__in": touched}, history_id__lte=current[label])
                person_ids.update(named.values_list(person_field, flat=True).distinct())
            person_ids.discard(None)  # a row that names nobody (an unassigned validation entry) recomputes no one
            if len(person_ids) > 500:  # a bulk import: one pass over the agency is cheaper than a long IN list
                refresh(agency=agency, today=today)
            else:  # people of other agencies drop out: refresh() only reads this agency's people
                refresh(agency=agency, today=today, person_ids=sorted(person_ids))
        if whole or changed:
            computation.computed_for = today
            computation.computed_at = timezone.now()
            computation.watermarks = current
            computation.save(update_fields=["computed_for", "computed_at", "watermarks"])


def refresh_agency(*, agency_id: int, today: date | None = None) -> int:
    """Recompute one agency's stored obligations for its own today (the nightly group's unit of work).

    Idempotent and safe to run twice or in parallel: ``ensure_fresh`` locks the agency's computation row.
    Returns the number of stored obligations.
    """
    agency = Agency.objects.get(pk=agency_id)
    ensure_fresh(agency=agency, today=today, force=True)
    return StoredObligation.objects.filter(agency=agency).count()


def refresh_all() -> int:
    """Nightly: recompute every agency for its own today. Returns the number of agencies."""
    count = 0
    for agency in Agency.objects.all():
        ensure_fresh(agency=agency, force=True)
        count += 1
    return count


__all__ = ["ensure_fresh", "refresh", "refresh_agency", "refresh_all"]
