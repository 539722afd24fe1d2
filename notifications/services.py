"""Writes to the outbox: the one queueing service every app calls, and delivery of claimed rows (issue 9)."""

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from common.history import stamp

from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = getattr(settings, "OUTBOX_MAX_ATTEMPTS", 5)
BACKOFF_BASE_S = getattr(settings, "OUTBOX_BACKOFF_BASE_SECONDS", 60)
# A row left in "sending" this long belongs to a worker that died; see README "Delivery guarantee".
STALE_SENDING = timedelta(minutes=30)


def queue_email(*, to, subject, template, context=None, attachments=(), key=None, person=None, agency=None,
                cc=(), obligation="", object_ref="", due_date=None, stage="", actor=None):
    """Queue one e-mail in the outbox, inside the caller's transaction; deliver it after commit.

    - ``to``/``cc``: lists of addresses. ``subject``: the subject line.
    - ``template``: a template path without extension, e.g. ``"email/event_confirmation"``; delivery renders
      ``<template>.txt`` (required) and ``<template>.html`` (optional) with ``context`` (must be JSON-serializable:
      pass strings/ids, not model instances).
    - ``attachments``: ``[(filename, text_content, mimetype), ...]``,
      e.g. ``[("event.ics", ics_text, "text/calendar")]``.
    - ``key``: a business key such as ``"event-confirmation:<registration pk>"``; if a row with that key exists the
      existing row is returned and nothing is queued twice (a retried request or task is harmless).
    - Reminders pass ``person``, ``obligation``, ``object_ref``, ``due_date`` and ``stage`` instead (unique together).

    Returns ``(message, created)``. The row is written even if the broker (Redis) is down: delivery is only
    scheduled on commit, and the periodic ``deliver_outbox`` task picks up anything not yet sent.
    """
    lookup = {"key": key} if key else None
    if stage and person is not None:
        lookup = {"person": person, "obligation": obligation, "object_ref": object_ref, "due_date": due_date,
                  "stage": stage}
    if lookup:
        existing = OutboxMessage.objects.filter(**lookup).first()
        if existing:
            return existing, False
    msg = OutboxMessage(
        key=key or None, person=person, agency=agency, obligation=obligation, object_ref=object_ref,
        due_date=due_date, stage=stage, to=list(to), cc=list(cc), subject=subject, template=template,
        context=context or {},
        attachments=[{"filename": f, "content": c, "mimetype": m} for f, c, m in attachments],
    )
    msg.full_clean(validate_unique=False, validate_constraints=False)
    stamp(msg, actor=actor, reason="Queued e-mail")
    try:
        with transaction.atomic():  # savepoint: a concurrent duplicate must not break the caller's transaction
            msg.save()
    except IntegrityError:
        if not lookup:
            raise
        return OutboxMessage.objects.get(**lookup), False
    transaction.on_commit(_schedule_delivery)
    return msg, True


# --- composed after the commit (issue 23) ----------------------------------------------------------------------
# A service that holds a lock (a seat) writes the outbox row in its transaction but leaves rendering the body and
# the calendar file until after the commit: ``queue_composed_email`` stores the composer's name and arguments,
# ``compose_pending`` renders them — right after the commit, or by the delivery worker, whichever comes first.

COMPOSE = "_compose"
_COMPOSERS: dict = {}


def register_composer(name: str, composer) -> None:
    """``composer(**args) -> {"context": {...}, "attachments": [(filename, text, mimetype), ...]}``."""
    _COMPOSERS[name] = composer


def queue_composed_email(*, composer: str, args: dict, to, subject, key=None, person=None, agency=None, actor=None):
    """Like ``queue_email`` (the row is written in the caller's transaction), rendered after the commit."""
    message, created = queue_email(to=to, subject=subject, template="email/message",
                                   context={COMPOSE: {"name": composer, "args": args}}, key=key, person=person,
                                   agency=agency, actor=actor)
    if created:
        transaction.on_commit(lambda: compose_pending([message.pk]))
    return message, created


def compose_pending(pks) -> int:
    """Render the rows among ``pks`` still waiting for their composer; each is written once (conditional UPDATE)."""
    done = 0
    for pk, context in OutboxMessage.objects.filter(pk__in=list(pks), context__has_key=COMPOSE).values_list(
            "pk", "context"):
        spec = context[COMPOSE]
        composed = _COMPOSERS[spec["name"]](**spec["args"])
        attachments = [{"filename": f, "content": c, "mimetype": m} for f, c, m in composed.get("attachments", ())]
        done += OutboxMessage.objects.filter(pk=pk, context__has_key=COMPOSE).update(
            context=composed["context"], attachments=attachments)
    return done


def _schedule_delivery():
    """Ask a worker to deliver now; if the broker is down, the beat-run sweep of the outbox catches up later."""
    try:
        from .tasks import deliver_outbox

        deliver_outbox.apply_async(retry=False)
    except Exception as exc:
        log.warning("Could not schedule e-mail delivery (broker down?): %s", exc)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failed try."""
    return timedelta(seconds=BACKOFF_BASE_S * (2 ** max(attempts - 1, 0)))


def claim_batch(*, now=None, limit=100) -> list[int]:
    """Claim due rows for this worker: lock them (skipping rows another worker holds), then mark them sending.

    A row is owned by whoever moved it from queued/retry to sending; parallel workers never both own one
    (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite serialises writers). Rows that share a group key
    with a claimed row come along, so a person's reminders of one morning are never split across two e-mails by
    the batch limit. Two queries per batch, whatever its size.
    """
    now = now or timezone.now()
    # Rows stuck in "sending" from a killed worker go back to retry (at-least-once for those rows only).
    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_SENDING).update(
        status=OutboxMessage.Status.RETRY, last_error="Worker stopped while sending", next_attempt_at=now)
    due = (OutboxMessage.objects.filter(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.RETRY])
           .exclude(next_attempt_at__gt=now))
    with transaction.atomic():
        candidates = list(due.select_for_update(skip_locked=True).order_by("id").values_list("id", "group_key")[:limit])
        ids = [pk for pk, _group in candidates]
        groups = {group for _pk, group in candidates if group}
        if groups:
            ids += list(due.filter(group_key__in=groups).exclude(pk__in=ids).select_for_update(skip_locked=True)
                        .values_list("id", flat=True))
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxMessage.Status.SENDING, claimed_at=now)
    return sorted(ids)


def _render_context(context: dict) -> dict:
    return {"site_url": settings.SITE_URL, **context}


def _build(messages: list[OutboxMessage], connection):
    """One e-mail for one row, or for a group of rows (a person's reminders: one e-mail listing them all)."""
    first = messages[0]
    if len(messages) == 1:
        subject, template, context = first.subject, first.template, _render_context(first.context)
    else:
        items = [m.context for m in messages]
        overdue = sum(bool(item.get("overdue")) for item in items)
        subject = f"LEDS: {len(items)} requirements need your attention" + (f" ({overdue} overdue)" if overdue else "")
        template = "email/reminders"
        context = _render_context({"name": first.context.get("name", ""), "items": items,
                                   "path": first.context.get("person_path", first.context.get("path", ""))})
    cc = sorted({address for m in messages for address in m.cc} - set(first.to))
    text = render_to_string(f"{template}.txt", context)
    email = mail.EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, first.to, cc=cc,
                                        connection=connection)
    with contextlib.suppress(TemplateDoesNotExist):
        email.attach_alternative(get_template(f"{template}.html").render(context), "text/html")
    for m in messages:
        for att in m.attachments:
            email.attach(att["filename"], att["content"], att.get("mimetype") or "application/octet-stream")
    return email


def _groups(rows: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    groups: dict[str, list[OutboxMessage]] = {}
    for row in rows:
        groups.setdefault(row.group_key or f"row:{row.pk}", []).append(row)
    return list(groups.values())


def deliver_batch(*, limit=100, now=None) -> dict:
    """Send claimed rows over ONE SMTP connection; mark each e-mail's rows sent right after the server accepts it.

    Counts are of rows (the outbox page's unit); a group of rows is one e-mail.
    """
    ids = claim_batch(now=now, limit=limit)
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not ids:
        return counts
    compose_pending(ids)  # rows queued by queue_composed_email that nobody rendered yet
    rows = list(OutboxMessage.objects.filter(pk__in=ids).order_by("id"))
    smtp = mail.get_connection()
    try:
        smtp.open()
    except Exception as exc:
        for msg in rows:
            counts[_record_failure(msg, exc)] += 1
        return counts
    try:
        with _asynchronous_commits():
            for group in _groups(rows):
                try:
                    _build(group, smtp).send()
                except Exception as exc:
                    for msg in group:
                        counts[_record_failure(msg, exc)] += 1
                    continue
                _mark_sent([msg.pk for msg in group])
                counts["sent"] += len(group)
    finally:
        with contextlib.suppress(Exception):  # the batch is recorded; a failed QUIT changes nothing
            smtp.close()
    return counts


def _mark_sent(pks: list[int]) -> None:
    """Record at once that the SMTP server accepted these rows: a worker killed after this never resends them."""
    OutboxMessage.objects.filter(pk__in=pks).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")


@contextlib.contextmanager
def _asynchronous_commits():
    """While a batch is delivered, PostgreSQL commits without waiting for the WAL flush.

    Each "sent" mark is still its own commit, visible to every other worker at once; only a crash of the database
    server itself within a fraction of a second could forget one — then that e-mail would go out twice, never
    zero times (README, "Delivery guarantee"). Reset after the batch, so nothing else on the connection is affected.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if postgres:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def _record_failure(msg, exc) -> str:
    attempts = msg.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        status, next_at = OutboxMessage.Status.FAILED, None
    else:
        status, next_at = OutboxMessage.Status.RETRY, timezone.now() + backoff(attempts)
    OutboxMessage.objects.filter(pk=msg.pk).update(
        status=status, attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000], next_attempt_at=next_at)
    return "failed" if status == OutboxMessage.Status.FAILED else "retry"


@transaction.atomic
def resend(*, message: OutboxMessage, actor) -> OutboxMessage:
    """Put a failed or sent message back in the queue (an administrator's deliberate resend)."""
    message.status = OutboxMessage.Status.QUEUED
    message.attempts = 0
    message.next_attempt_at = None
    message.last_error = ""
    message.full_clean(validate_unique=False, validate_constraints=False)
    stamp(message, actor=actor, reason="Resent from the outbox")
    message.save()
    transaction.on_commit(_schedule_delivery)
    return message
