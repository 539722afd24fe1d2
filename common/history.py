"""Helpers for django-simple-history: the acting user and the reason on every service write (R-AU-2)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone


def stamp(instance, *, actor, reason: str):
    """Record who makes the next save of ``instance`` and why (read by simple-history)."""
    if actor is not None:
        instance._history_user = actor
    instance._change_reason = reason
    return instance


def void_record(*, record, actor, reason: str):
    """Void a mistaken record (a ``common.models.VoidableRecord``): it stops counting but stays on file, with who
    voided it, when and why in its history (R-AU-2). Refused without a reason, or when already voided."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is voided; the reason is kept."})
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        if record.is_voided:
            raise ValidationError("This record is already voided.")
        record.voided_at, record.voided_by, record.void_reason = timezone.now(), actor, reason[:300]
        record.full_clean()
        stamp(record, actor=actor, reason=f"Voided: {reason}"[:100])  # the history's reason holds 100
        record.save()
    return record
