"""Keep the stored obligations (compliance.StoredObligation) equal to what the engine computes (issues 6, 23).

The dashboard reads stored obligations so that a 10,000-person agency answers in a few queries; the
engine (compliance/engine.py) is still the only thing that computes them. No request recomputes (issue 23):

* every write marks what it makes stale in its own transaction (compliance/staleness.py) and, after the
  commit, queues ``compliance.refresh_stale_obligations``, which calls :func:`refresh_stale`: each agency with
  marks is recomputed — only the marked people, or the whole agency when a mark names no one, the day has
  turned, or more than 500 people are marked (an import) — and the marks it saw are deleted;
* the nightly task (compliance.tasks.refresh_obligations) recomputes every agency for the passing of days
  (:func:`refresh_agency` with ``force``), which also heals a write that forgot to mark.

:func:`refresh_agency` holds the agency's ``AgencyComputation`` row lock while it computes, so two workers never
interleave; pages keep reading the previous rows meanwhile (and say "refreshing…").
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.batches import chunked
from people.models import Agency, Person

from .engine import OVERDUE, VERDICT_RANK
from .models import AgencyComputation, StaleMark, StoredObligation
from .registry import providers
from .selectors import agency_compliance, agency_today

PARTIAL_LIMIT = 500  # more marked people than this (a bulk import): one pass over the agency is cheaper


def verdict_reasons(verdict) -> list[list]:
    """[[rule ID, is sensitive], ...] for the stored verdict: a rule is sensitive only if every reason citing it is."""
    sensitive: dict[str, bool] = {}
    for item in verdict.reasons:
        sensitive[item.rule_id] = sensitive.get(item.rule_id, True) and item.is_sensitive
    return [[rule_id, flag] for rule_id, flag in sensitive.items()]


def _rows(agency: Agency, results, today: date, names: dict[int, tuple[str, str]]) -> list[StoredObligation]:
    rows = []
    for result in results:
        verdict = result.verdict.code  # R-PE-3: one of engine.VERDICTS
        reasons = verdict_reasons(result.verdict)
        last_name, first_name = names.get(result.person.pk, ("", ""))
        for item in result.obligations:
            rows.append(StoredObligation(
                agency=agency, person_id=result.person.pk, obligation=item.obligation, rule_id=item.rule_id,
                title=item.title, status=item.status, due=item.due, satisfied_by=(item.satisfied_by or "")[:200],
                key=item.key, suspends_access=item.suspends_access, is_sensitive=item.is_sensitive,
                verdict=verdict, verdict_reasons=reasons, computed_for=today,
                verdict_rank=VERDICT_RANK[verdict], person_last_name=last_name, person_first_name=first_name,
            ))
    return rows


def refresh(*, agency: Agency, today: date, person_ids: list[int] | None = None) -> int:
    """Recompute the agency (or some of its people) with the engine and store the result.

    People are computed and stored ``settings.OBLIGATIONS_REFRESH_BATCH`` at a time, inside the one transaction
    (pages read the previous rows until it commits): a worker holds one batch's records and rows in memory,
    whatever the agency's size (a 100,000-person roster import refreshes its agency after its commit)."""
    people = Person.objects.filter(agency=agency)
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    ids = list(people.order_by("pk").values_list("pk", flat=True))
    size = settings.OBLIGATIONS_REFRESH_BATCH
    stored = 0
    with transaction.atomic():
        old = StoredObligation.objects.filter(agency=agency)
        if person_ids is not None:  # wherever they were stored: a person moved from another agency leaves it
            old = StoredObligation.objects.filter(person_id__in=person_ids)
        # the other agencies whose rows this refresh deletes (a moved person): their stored figures change too.
        # One query on either path, so the refresh's query count stays the same at 10 people and at 1,000.
        moved_from = list(old.exclude(agency=agency).values_list("agency_id", flat=True).distinct())
        old.delete()
        # the whole agency in one batch reads every provider by agency; a batch of it, by its people
        whole = person_ids is None and len(ids) <= size
        for batch in chunked(ids, size):
            batch_people = people if whole else Person.objects.filter(pk__in=batch)
            results = agency_compliance(people=batch_people, agency=agency, today=today,
                                        person_ids=None if whole else batch)
            # the worklist's sort keys (one query per batch, not per person)
            names = {pk: (last, first) for pk, last, first in
                     batch_people.values_list("pk", "last_name", "first_name")}
            rows = _rows(agency, results, today, names)
            StoredObligation.objects.bulk_create(rows, batch_size=5000)
            stored += len(rows)
            del results, rows, names
        for agency_id in [agency.pk, *moved_from]:
            store_figures(agency_id=agency_id)
    return stored


def store_figures(*, agency_id: int) -> None:
    """Keep the agency's figures with its stored obligations, in the same transaction: people per verdict and
    overdue obligations (the statewide view reads them per agency instead of counting every row, issue 20),
    obligations per verdict, obligation and status (every count of the dashboard and of its worklist's pages),
    and the providers' figures (the accounts panel's), so no request counts ~100,000 rows (issue 23)."""
    from django.db.models import Count

    stored = StoredObligation.objects.filter(agency_id=agency_id)
    verdicts = dict(stored.order_by().values("verdict").annotate(n=Count("person", distinct=True))
                    .values_list("verdict", "n"))
    worklist = [[verdict, obligation, status, n] for verdict, obligation, status, n in stored.order_by(
        "verdict", "obligation", "status").values("verdict", "obligation", "status").annotate(n=Count("pk"))
        .values_list("verdict", "obligation", "status", "n")]
    overdue = sum(n for _verdict, _obligation, status, n in worklist if status == OVERDUE)
    figures = {name: count(agency_id=agency_id) for provider in providers() for name, count in provider.figures}
    values = {"verdict_counts": verdicts, "overdue_count": overdue, "worklist_counts": worklist,
              "figures": figures}
    updated = AgencyComputation.objects.filter(agency_id=agency_id).update(**values)
    if not updated:
        AgencyComputation.objects.get_or_create(agency_id=agency_id, defaults=values)


def _locked_computation(agency_id: int) -> AgencyComputation:
    """The agency's computation row, locked until the transaction ends (one refresh per agency at a time)."""
    AgencyComputation.objects.get_or_create(agency_id=agency_id)
    return AgencyComputation.objects.select_for_update().get(agency_id=agency_id)


def refresh_agency(agency_id: int, today: date | None = None, *, force: bool = False) -> int:
    """Bring one agency's stored obligations up to date; returns the number of people marks it cleared.

    Recomputes the marked people, or the whole agency when ``force``, a mark names no one, too many are
    marked, or the stored rows are for another day. Idempotent: with nothing marked and the same day it only
    reads two rows. The nightly run calls it with ``force`` for every agency (one task each, if you like).
    """
    agency = Agency.objects.get(pk=agency_id)
    today = today or agency_today(agency)
    with transaction.atomic():
        computation = _locked_computation(agency_id)
        marks = list(StaleMark.objects.filter(agency_id=agency_id).values_list("pk", "person_id"))
        person_ids = sorted({person_id for _pk, person_id in marks if person_id is not None})
        whole = (force or computation.computed_for != today or len(person_ids) > PARTIAL_LIMIT
                 or any(person_id is None for _pk, person_id in marks))
        if whole:
            refresh(agency=agency, today=today)
        elif person_ids:
            refresh(agency=agency, today=today, person_ids=person_ids)
        else:
            return 0
        # exactly the marks this run saw: one committed meanwhile names a change it may not have read
        pks = [pk for pk, _person_id in marks]
        for start in range(0, len(pks), 5000):
            StaleMark.objects.filter(pk__in=pks[start:start + 5000]).delete()
        computation.computed_for = today
        computation.computed_at = timezone.now()
        computation.save(update_fields=["computed_for", "computed_at"])
    return len(marks)


def refresh_stale() -> int:
    """Within seconds of a write (Celery, after the commit): refresh every agency that has marks."""
    agency_ids = sorted(set(StaleMark.objects.values_list("agency_id", flat=True)))
    for agency_id in agency_ids:
        refresh_agency(agency_id)
    return len(agency_ids)


def refresh_all() -> int:
    """Nightly: recompute every agency for its own today. Returns the number of agencies."""
    count = 0
    for agency_id in Agency.objects.order_by("pk").values_list("pk", flat=True):
        refresh_agency(agency_id, force=True)
        count += 1
    return count


__all__ = ["refresh", "refresh_agency", "refresh_all", "refresh_stale", "store_figures"]
