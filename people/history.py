"""A person's change history, readable by a person: who, when, which fields from what to what, and why.

Other apps add their records to the same page from their ``AppConfig.ready()``:

    from people.history import register_person_history
    register_person_history(CertificationResult, person_field="person", label="Certification")

``roles`` limits who sees a kind of record (e.g. background records, R-BG-4). Entries from every
registered model are merged by time, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist

from .models import Person


@dataclass(frozen=True)
class HistorySource:
    model: type
    person_field: str
    label: str
    roles: frozenset[str] | None = None
    on_read: object = None  # called once per read that shows this kind of record, e.g. to log it (R-BG-4)


_SOURCES: list[HistorySource] = [HistorySource(Person, "id", "Person")]


def register_person_history(model, *, person_field: str = "person", label: str, roles=None, on_read=None) -> None:
    if any(s.model is model for s in _SOURCES):
        return
    _SOURCES.append(HistorySource(model, person_field, label, frozenset(roles) if roles else None, on_read))


def _display(model, field_name: str, value):
    """A stored value in words. A foreign key's value is its record (or simple-history's "Deleted …" stand-in)."""
    if value in (None, ""):
        return "—"
    try:
        field = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name.replace("_", " ")


def _joins(keys) -> list[str]:
    """The keys and their records' own keys: all a record's name reads (a class names its level), in one query."""
    names = []
    for key in keys:
        names.append(key.name)
        names += [f"{key.name}__{inner.name}" for inner in key.related_model._meta.concrete_fields
                  if inner.many_to_one]
    return names


def person_history(*, person: Person, roles: frozenset[str], is_superuser: bool = False, request=None) -> list[dict]:
    """Every change to the person and their registered records, newest first, as field-level differences.

    One query per kind of record, whatever the person has: each history row brings the records its foreign keys
    name and theirs (simple-history keeps them as nullable keys, so a join never drops a row), which name the
    record and the old and new sides of a changed key (issue 23: no query per row or per value).
    """
    entries = []
    for source in _SOURCES:
        if source.roles is not None and not is_superuser and not (roles & source.roles):
            continue
        keys = [f for f in source.model._meta.concrete_fields if f.many_to_one]
        records = list(
            source.model.history.filter(**{source.person_field: person.pk})
            .select_related("history_user", *_joins(keys)).order_by("history_date", "history_id")
        )
        if records and source.on_read is not None and request is not None:
            source.on_read(request=request, person=person)
        previous_by_object = {}
        for record in records:
            instance = None
            if source.model is not Person:
                instance = record.instance
                for key in keys:  # its name reads the related records already loaded with the row
                    key.set_cached_value(instance, getattr(record, key.name))
            previous = previous_by_object.get(record.id)
            changes = []
            if previous is not None:
                # a changed key's old and new records came with the two rows
                for change in record.diff_against(previous, foreign_keys_are_objs=True).changes:
                    changes.append({"field": _label(source.model, change.field),
                                    "old": _display(source.model, change.field, change.old),
                                    "new": _display(source.model, change.field, change.new)})
            previous_by_object[record.id] = record
            entries.append({
                "at": record.history_date, "user": record.history_user, "kind": source.label,
                "type": record.get_history_type_display(), "reason": record.history_change_reason or "",
                "object": str(instance) if instance is not None else "", "changes": changes,
            })
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries
