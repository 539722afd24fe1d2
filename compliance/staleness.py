"""Mark what a write makes stale, in the write's own transaction (issue 23; DESIGN.md "Reads never write").

The stored obligations (compliance.StoredObligation) are a cache of what the engine computes. Whatever writes
a record the engine reads marks the people (or the agency) it affects with a ``StaleMark`` row before its
transaction commits, and asks — once per transaction, after the commit — for the refresh task, which
recomputes them within seconds (compliance/obligations.py ``refresh_stale``). A page only reads.

Three ways a write reaches here:

* every ``save()``/``delete()`` of a watched model (the people, the rule table, and what each provider lists
  in ``watches``, compliance/registry.py) writes a history row; django-simple-history's
  ``post_create_historical_record`` signal marks the person it names (and, on a change, the person it named
  before: an entry reassigned to another validator) or the agency;
* an m2m change between a watched model and a person (an incident's people) marks those people
  (``m2m_changed``);
* what bypasses both — ``QuerySet.update()``, ``bulk_create``/``bulk_update`` (with or without history), raw
  SQL — sends ``common.signals.records_changed`` itself, in the service or importer that does it (a base app
  such as people/ cannot import compliance). The nightly refresh recomputes every agency anyway, so a
  forgotten call heals by the next day.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models.signals import m2m_changed
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from common.signals import records_changed
from people.models import Agency, Person

from .models import RuleSetting, StaleMark
from .registry import providers
from .tasks import refresh_stale_obligations

BATCH = 5000


def _request_refresh() -> None:
    """After the commit, once per transaction: let the refresh task pick the marks up."""
    if any(getattr(func, "__name__", "") == "_enqueue_refresh" for _sids, func, _robust in
           getattr(connection, "run_on_commit", [])):
        return  # already asked in this transaction
    transaction.on_commit(_enqueue_refresh)


def _enqueue_refresh() -> None:
    from kombu.exceptions import OperationalError

    try:
        refresh_stale_obligations.delay()
    except OperationalError:  # the broker is down: the marks stay; the next write or the nightly run refreshes
        import logging

        logging.getLogger(__name__).warning("compliance refresh not queued (broker unavailable)", exc_info=True)


def mark_people_stale(person_ids: Iterable[int | None]) -> None:
    """Mark these people's stored obligations stale (each in their own agency). One INSERT per 5,000 people."""

    ids = sorted({pk for pk in person_ids if pk is not None})
    if not ids:
        return
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        StaleMark.objects.bulk_create(
            StaleMark(agency_id=agency_id, person_id=pk, marked_at=now)
            for pk, agency_id in Person.objects.filter(pk__in=chunk).values_list("pk", "agency_id"))
    _request_refresh()


def mark_agencies_stale(agency_ids: Iterable[int] | None = None) -> None:
    """Mark whole agencies stale (None: every agency — the rule table or a certification level changed)."""

    if agency_ids is None:
        agency_ids = Agency.objects.values_list("pk", flat=True)
    now = timezone.now()
    marks = [StaleMark(agency_id=pk, person=None, marked_at=now) for pk in sorted(set(agency_ids))]
    if marks:
        StaleMark.objects.bulk_create(marks, batch_size=BATCH)
        _request_refresh()


# --- the signals -------------------------------------------------------------------------------------------

def watched() -> dict[type, str | None]:
    """Historical model → the person field its rows name (None: the whole agency, or every agency)."""

    return _watched(tuple(providers()))


@functools.lru_cache(maxsize=4)
def _watched(registered: tuple) -> dict[type, str | None]:
    """Built once per set of providers: every history row asks (3 ms a save otherwise, issue 23)."""

    table: dict[type, str | None] = {Person.history.model: "id", RuleSetting.history.model: None}
    for provider in registered:
        for model, person_field in provider.watches:
            table[model] = person_field
    return table


def _on_history_row(sender, history_instance, **kwargs) -> None:
    table = watched()
    if sender not in table:
        return
    person_field = table[sender]
    if person_field is None:
        agency_id = getattr(history_instance, "agency_id", None)
        mark_agencies_stale(None if agency_id is None else [agency_id])
        return
    named = {getattr(history_instance, person_field, None)}
    if history_instance.history_type != "+" and person_field != "id":
        # the person it named before the change (an entry reassigned to another validator leaves the first one's
        # worklist): one query, only for changes
        pk_name = sender.instance_type._meta.pk.attname
        before = (sender.objects.filter(**{pk_name: getattr(history_instance, pk_name)},
                                        history_id__lt=history_instance.history_id)
                  .order_by("-history_id").values_list(person_field, flat=True).first())
        named.add(before)
    mark_people_stale(named)


def _on_m2m(sender, instance, action, model, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    watched_models = {history.instance_type for history in watched()}
    if model is Person and type(instance) in watched_models:
        if action == "pre_clear":  # who is about to be removed
            pk_set = set(getattr(instance, _m2m_name(sender, instance)).values_list("pk", flat=True))
        mark_people_stale(pk_set or ())
    elif isinstance(instance, Person) and model in watched_models:
        mark_people_stale([instance.pk])


def _m2m_name(through, instance) -> str:
    for field in type(instance)._meta.many_to_many:
        if field.remote_field.through is through:
            return field.name
    raise LookupError(through)


def _on_records_changed(sender, person_ids=(), agency_ids=(), **kwargs) -> None:
    mark_people_stale(person_ids or ())
    if agency_ids:
        mark_agencies_stale(agency_ids)


def connect() -> None:
    records_changed.connect(_on_records_changed, dispatch_uid="compliance_staleness_records_changed")
    post_create_historical_record.connect(_on_history_row, dispatch_uid="compliance_staleness_history")
    m2m_changed.connect(_on_m2m, dispatch_uid="compliance_staleness_m2m")
