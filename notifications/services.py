"""Writes to the outbox: the one queueing service every app calls, and delivery of claimed rows (issues 9, 18).

Delivery in one paragraph (README, "Delivery guarantee"): a worker claims a few e-mails at a time (a person's
morning of reminders whole or not at all) with a lease it renews while it works; an expired lease is claimed
again by any worker. A connection that fails and a temporary (4xx) answer put a row off with capped backoff and
never use up its attempts; only a permanent (5xx) answer for its recipient fails it. Every e-mail carries a
Message-ID derived from its outbox row, so a repeat after a crash is recognisable.
"""

import contextlib
import logging
import os
import smtplib
import socket
import time
import uuid
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from common.ics import CONTENT_TYPE as ICS_CONTENT_TYPE

from .models import OutboxMessage
from .tasks import deliver_outbox

log = logging.getLogger(__name__)

Status = OutboxMessage.Status
UNSENT = (Status.QUEUED, Status.RETRY)
IN_OUTBOX = (Status.QUEUED, Status.RETRY, Status.SENDING)  # not yet sent, not failed

# How a try ended (see _classify).
TEMPORARY = "temporary"  # the connection failed or the server answered 4xx: put off, no attempt used up
PERMANENT = "permanent"  # the server refused the recipient with a 5xx: failed now, with its answer
ERROR = "error"  # anything else (a template of ours that fails, a 5xx to the message's content): an attempt


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def lease_length() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def queue_email(*, to, subject, template, context=None, attachments=(), key=None, person=None, agency=None,
                cc=(), obligation="", object_ref="", due_date=None, stage="", key_is_new=False):
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

    - ``key_is_new``: the key names a row made in this very transaction, so no row can hold it yet: no look-up
      and no savepoint — two statements fewer under a caller's lock (issue 23).

    The row is written without a history row of its own creation, as reminders' bulk rows are: the row holds when,
    to whom and what; the record whose change it reports keeps who and why in its history. History records what
    people do to a row afterwards (resend). One history insert fewer per notice (issue 23).

    Returns ``(message, created)``. The row is written even if the broker (Redis) is down: delivery is only
    scheduled on commit, and the periodic ``deliver_outbox`` task picks up anything not yet sent.
    """
    subject = " ".join(str(subject).split())  # a line break in a title would make the header unsendable
    lookup = {"key": key} if key else None
    if stage and person is not None:
        lookup = {"person": person, "obligation": obligation, "object_ref": object_ref, "due_date": due_date,
                  "stage": stage}
    if lookup and not key_is_new:
        existing = OutboxMessage.objects.filter(**lookup).first()
        if existing:
            return existing, False
    msg = OutboxMessage(
        key=key or None, person=person, obligation=obligation, object_ref=object_ref,
        due_date=due_date, stage=stage, to=list(to), cc=list(cc), subject=subject, template=template,
        context=context or {},
        attachments=[{"filename": f, "content": c, "mimetype": m} for f, c, m in attachments],
    )
    if agency is not None:
        msg.agency = agency
    elif person is not None:
        msg.agency_id = person.agency_id  # a person's e-mail is their agency's: its outbox lists it
    # person and agency are rows in hand: checking that they exist would cost a query each
    msg.full_clean(exclude=["person", "agency"], validate_unique=False, validate_constraints=False)
    msg.skip_history_when_saving = True  # see the docstring
    if key_is_new or not lookup:  # no key that another row could hold: no savepoint either
        msg.save()
        transaction.on_commit(schedule_delivery)
        return msg, True
    try:
        with transaction.atomic():  # savepoint: a concurrent duplicate must not break the caller's transaction
            msg.save()
    except IntegrityError:
        if not lookup:
            raise
        return OutboxMessage.objects.get(**lookup), False
    transaction.on_commit(schedule_delivery)
    return msg, True


def calendar_attachment(filename: str, ics: bytes | str) -> tuple[str, str, str]:
    """A calendar file (common.ics.calendar_file) as an outbox attachment: ``(filename, text, mimetype)``."""
    return (filename, ics.decode() if isinstance(ics, bytes) else ics, ICS_CONTENT_TYPE)


def queue_notice(*, to: str, subject, template, context, calendar: tuple[str, bytes | str] | None = None, key=None,
                 person=None, agency=None):
    """The notice of a class or a training event to one person (enrolled, registered, changed, withdrawn,
    cancelled), the one way both apps send it: nothing without an address (the page still shows it), and
    ``calendar`` — ``(filename, ics)`` — attached. The file's UIDs never change, so the person's calendar updates
    its entry, and a cancellation (``calendar_file(..., cancelled=True)``) removes it. Returns the outbox row."""
    if not to:
        return None
    message, _ = queue_email(to=[to], subject=subject, template=template, context=context, key=key, person=person,
                             agency=agency,
                             attachments=[calendar_attachment(*calendar)] if calendar is not None else [])
    return message


# --- composed after the commit (issue 23) ----------------------------------------------------------------------
# A service that holds a lock (a seat) writes the outbox row in its transaction but leaves rendering the body and
# the calendar file until after the commit: ``queue_composed_email`` stores the composer's name and arguments,
# ``compose_pending`` renders them in the delivery worker, just before sending: the request that queued the row
# pays for neither the template nor the calendar file (issue 23: a registration answers near a trivial view).

COMPOSE = "_compose"
_COMPOSERS: dict = {}


def register_composer(name: str, composer) -> None:
    """``composer(**args) -> {"context": {...}, "attachments": [(filename, text, mimetype), ...]}``, and a
    ``"subject"`` and ``"key"`` when the row was queued before they could be known (a registration's notice is
    queued before its seat is decided, issue 23)."""
    _COMPOSERS[name] = composer


def queue_composed_email(*, composer: str, args: dict, to, subject, key=None, person=None, agency=None,
                         key_is_new=False):
    """Like ``queue_email`` (the row is written in the caller's transaction), rendered by the delivery worker."""
    return queue_email(to=to, subject=subject, template="email/message",
                       context={COMPOSE: {"name": composer, "args": args}}, key=key, person=person,
                       agency=agency, key_is_new=key_is_new)


def compose_pending(pks) -> int:
    """Render the rows among ``pks`` still waiting for their composer; each is written once (conditional UPDATE)."""
    done = 0
    for pk, context in OutboxMessage.objects.filter(pk__in=list(pks), context__has_key=COMPOSE).values_list(
            "pk", "context"):
        spec = context[COMPOSE]
        composed = _COMPOSERS[spec["name"]](**spec["args"])
        attachments = [{"filename": f, "content": c, "mimetype": m} for f, c, m in composed.get("attachments", ())]
        fields = {"context": composed["context"], "attachments": attachments}
        if composed.get("subject"):
            fields["subject"] = " ".join(str(composed["subject"]).split())
        rows = OutboxMessage.objects.filter(pk=pk, context__has_key=COMPOSE)
        if composed.get("key"):
            try:
                with transaction.atomic():  # savepoint: the key may be taken (a sign-up cancelled and made again)
                    done += rows.update(**fields, key=composed["key"])
                continue
            except IntegrityError:
                pass  # the e-mail still goes, without the key another row already carries
        done += rows.update(**fields)
    return done


def schedule_delivery():
    """Ask a worker to deliver; if the broker is down, beat's minute tick of ``deliver_outbox`` catches up.

    Called after a commit. A process asks at most once per ``OUTBOX_SCHEDULE_COALESCE_SECONDS``, for the end of
    that window: every row committed in the window was committed before the run it asked for, so one run takes
    them all, and a burst of requests costs the broker one message, not one each (issue 23).

    The broker connect timeout is short (CELERY_BROKER_CONNECTION_TIMEOUT), so a request that queues e-mail
    answers in normal time while the broker is down; after one failure this process does not try again for
    OUTBOX_SCHEDULE_PAUSE_SECONDS, so later requests pay nothing at all.
    """
    global _broker_down_until, _asked_until
    now = time.monotonic()
    if now < _broker_down_until or now < _asked_until:
        return
    window = settings.OUTBOX_SCHEDULE_COALESCE_SECONDS
    try:
        deliver_outbox.apply_async(retry=False, countdown=window or None)
    except Exception as exc:
        _broker_down_until = now + settings.OUTBOX_SCHEDULE_PAUSE_SECONDS
        log.warning("Could not schedule e-mail delivery (broker down?); beat's tick will deliver: %s", exc)
    else:
        _asked_until = now + window


_broker_down_until = 0.0
_asked_until = 0.0  # this process has asked for a run at this time (monotonic); rows committed before it ride along
_schedule_delivery = schedule_delivery  # the name other apps imported first


def backoff(attempts: int) -> timedelta:
    """Exponential backoff, capped: 1, 2, 4 … minutes after the 1st, 2nd, 3rd … try that did not succeed, never
    more than OUTBOX_BACKOFF_MAX_SECONDS, so mail queued during an outage of any length goes out soon after the
    server returns.
    """
    seconds = settings.OUTBOX_BACKOFF_BASE_SECONDS * (2 ** min(max(attempts - 1, 0), 30))
    return timedelta(seconds=min(seconds, settings.OUTBOX_BACKOFF_MAX_SECONDS))


def _claimable(now) -> Q:
    """Due rows, and rows whose lease has expired (the worker that claimed them died).

    The first condition repeats the partial index's (``outbox_unsent_by_id``), so PostgreSQL walks only unsent rows
    in id order, however many sent rows the outbox keeps.
    """
    due = Q(status__in=UNSENT) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    expired = Q(status=Status.SENDING) & (Q(lease_until__lt=now) |
                                          Q(lease_until__isnull=True, claimed_at__lt=now - lease_length()))
    return Q(status__in=IN_OUTBOX) & (due | expired)


def _unit(pk: int, group_key: str) -> str:
    """What one e-mail is made of: a group of rows (a person's morning of reminders) or one row."""
    return group_key or f"row:{pk}"


def worker_token() -> str:
    """Names one claim: which process holds it (host, pid) and a random part."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def claim_batch(*, now=None, limit=None, worker="") -> list[int]:
    """Claim a few e-mails for this worker with a lease; returns the rows' ids.

    ``limit`` (OUTBOX_CLAIM_SIZE) counts the rows locked first; the other rows of their groups come along.

    A group of rows (a person's morning of reminders) is claimed whole or not at all: the rows are locked with
    ``FOR UPDATE SKIP LOCKED`` (rows another worker is claiming are skipped), and a group is kept only when
    this worker locked every claimable row of it; a group another worker holds part of is left for a later
    claim. The rows go to "sending" with ``lease_until = now + OUTBOX_LEASE_SECONDS``; the worker renews the
    lease while it delivers (``renew_lease``), and once it expires any worker may claim the rows again. Four
    queries, whatever the size. On SQLite writers are serialised, so every row is "locked".
    """
    now = now or timezone.now()
    limit = limit or settings.OUTBOX_CLAIM_SIZE
    claimable = OutboxMessage.objects.filter(_claimable(now))
    with transaction.atomic():
        locked = dict(claimable.select_for_update(skip_locked=True).order_by("id")
                      .values_list("id", "group_key")[:limit])
        groups = {group for group in locked.values() if group}
        if groups:
            locked.update(claimable.filter(group_key__in=groups).exclude(pk__in=list(locked))
                          .select_for_update(skip_locked=True).values_list("id", "group_key"))
            totals = dict(claimable.filter(group_key__in=groups).order_by().values("group_key")
                          .annotate(n=Count("id")).values_list("group_key", "n"))
            mine: dict[str, int] = {}
            for group in locked.values():
                if group:
                    mine[group] = mine.get(group, 0) + 1
            split = {group for group in groups if mine.get(group, 0) != totals.get(group, 0)}
            locked = {pk: group for pk, group in locked.items() if group not in split}
        ids = sorted(locked)
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).update(
                status=Status.SENDING, claimed_at=now, claimed_by=worker or worker_token(),
                lease_until=now + lease_length())
    return ids


def renew_lease(*, worker: str, now=None) -> int:
    """Push this worker's lease on its rows still sending forward; returns how many rows it holds."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(status=Status.SENDING, claimed_by=worker).update(
        lease_until=now + lease_length())


def _release(pks: list[int], worker: str) -> int:
    """Give claimed rows that were not tried back to the queue, as they were (time budget reached)."""
    return OutboxMessage.objects.filter(pk__in=pks, status=Status.SENDING, claimed_by=worker).update(
        status=Case(When(Q(attempts__gt=0) | Q(deferrals__gt=0), then=Value(Status.RETRY)),
                    default=Value(Status.QUEUED)),
        claimed_by="", lease_until=None)


def _render_context(context: dict) -> dict:
    return {"site_url": settings.SITE_URL, **context}


def message_id(messages: list[OutboxMessage]) -> str:
    """The Message-ID of the e-mail made of these rows: the same on every try, so a receiving server (or a
    person) recognises a repeat after a crash; a deliberate resend gets a new one.
    """
    first = min(messages, key=lambda m: m.pk)
    resends = max(m.resends for m in messages)
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<leds-outbox-{first.pk}{f'.r{resends}' if resends else ''}@{domain}>"


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
                                        connection=connection, headers={"Message-ID": message_id(messages)})
    with contextlib.suppress(TemplateDoesNotExist):
        email.attach_alternative(get_template(f"{template}.html").render(context), "text/html")
    for m in messages:
        for att in m.attachments:
            email.attach(att["filename"], att["content"], att.get("mimetype") or "application/octet-stream")
    return email


def _groups(rows: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    groups: dict[str, list[OutboxMessage]] = {}
    for row in rows:
        groups.setdefault(_unit(row.pk, row.group_key), []).append(row)
    return list(groups.values())


class RecipientRefused(smtplib.SMTPRecipientsRefused):
    """The server accepted the message for some recipients (a copy) but refused every main recipient."""


def _transmit(email, smtp) -> None:
    """Send one e-mail over an open connection.

    Over SMTP this does what Django's SMTP backend does, but keeps the server's per-recipient answers: when
    every main (To) recipient was refused while a copy was accepted, it raises ``RecipientRefused`` so the row
    is not marked sent. Other backends (tests: locmem) send as usual.
    """
    if not isinstance(smtp, SMTPBackend) or smtp.connection is None:
        email.send()
        return
    encoding = email.encoding or settings.DEFAULT_CHARSET
    from_email = sanitize_address(email.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in email.recipients()]
    refused = smtp.connection.sendmail(from_email, recipients, email.message().as_bytes(linesep="\r\n"))
    if refused:
        main = {_address(a) for a in email.to}
        refused_main = {a: answer for a, answer in refused.items() if _address(a) in main}
        if refused_main and len(refused_main) == len(main):
            raise RecipientRefused(refused_main)
        log.warning("Some recipients refused: %s", _answer(smtplib.SMTPRecipientsRefused(refused)))


def _address(address: str) -> str:
    return parseaddr(address)[1].lower()


def _decode(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _answer(exc) -> str:
    """The server's answer in plain words, for the outbox page ("550 5.1.1 no such user")."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{address}: {code} {_decode(text)}" for address, (code, text) in exc.recipients.items())
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_decode(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _classify(exc, to: list[str]) -> str:
    """TEMPORARY, PERMANENT or ERROR (see the constants). Only a 5xx for the main recipients fails a row."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        main = {_address(a) for a in to}
        codes = [code for address, (code, _text) in exc.recipients.items() if _address(address) in main]
        return PERMANENT if codes and len(codes) >= len(main) and all(500 <= c < 600 for c in codes) else TEMPORARY
    if isinstance(exc, smtplib.SMTPDataError) and 500 <= exc.smtp_code < 600:
        return ERROR  # the server refused this message's content: counts, fails after OUTBOX_MAX_ATTEMPTS
    if isinstance(exc, (smtplib.SMTPException, OSError)):  # connection, timeout, 4xx, sender/auth answers
        return TEMPORARY
    return ERROR


def _connection_lost(exc) -> bool:
    """After these the SMTP connection is unusable: reopen it before the next e-mail."""
    return isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)) and not isinstance(
        exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException))


class _Lease:
    """Renews this worker's lease once a quarter of it has passed (one UPDATE, not one per e-mail)."""

    def __init__(self, worker: str):
        self.worker, self.renewed = worker, time.monotonic()

    def keep(self):
        if time.monotonic() - self.renewed > settings.OUTBOX_LEASE_SECONDS / 4:
            renew_lease(worker=self.worker)
            self.renewed = time.monotonic()


class _Smtp:
    """One SMTP connection, opened when first needed and kept across claims (``deliver`` reuses it)."""

    def __init__(self):
        self.backend, self.is_open = mail.get_connection(), False

    def ensure_open(self):
        if not self.is_open:
            self.backend.open()
            self.is_open = True

    def close(self):
        with contextlib.suppress(Exception):  # the batch is recorded; a failed QUIT changes nothing
            self.backend.close()
        self.is_open = False


def deliver_batch(*, limit=None, now=None, deadline: float | None = None, worker: str = "",
                  smtp: _Smtp | None = None) -> dict:
    """Claim a few e-mails, send them over one SMTP connection, record each outcome as soon as it is known.

    Counts are of rows (the outbox page's unit); a group of rows is one e-mail. ``deadline``
    (``time.monotonic()``): e-mails not started by then are given back to the queue untried.
    """
    worker = worker or worker_token()
    ids = claim_batch(now=now, limit=limit, worker=worker)
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not ids:
        return counts
    compose_pending(ids)  # rows queued by queue_composed_email that nobody rendered yet
    rows = list(OutboxMessage.objects.filter(pk__in=ids).order_by("id"))
    groups = _groups(rows)
    lease = _Lease(worker)
    own = smtp is None
    smtp = smtp or _Smtp()
    try:
        with _asynchronous_commits():
            for n, group in enumerate(groups):
                if deadline is not None and time.monotonic() > deadline:
                    _release([m.pk for g in groups[n:] for m in g], worker)
                    break
                lease.keep()
                try:
                    smtp.ensure_open()
                except Exception as exc:  # the server is down: put this claim off, without using attempts
                    for rest in groups[n:]:
                        counts[_record_failure(rest, exc, worker=worker, now=now)] += len(rest)
                    break
                try:
                    _transmit(_build(group, smtp.backend), smtp.backend)
                except Exception as exc:
                    counts[_record_failure(group, exc, worker=worker, now=now)] += len(group)
                    if _connection_lost(exc):  # reopen before the next e-mail
                        smtp.close()
                    continue
                _mark_sent([msg.pk for msg in group])
                counts["sent"] += len(group)
    finally:
        if own:
            smtp.close()
    return counts


def deliver(*, budget_seconds: float | None = None, limit=None) -> dict:
    """Deliver due e-mails for at most ``budget_seconds`` (OUTBOX_TASK_BUDGET_SECONDS), claim after claim.

    Stops early when nothing is due, or when a whole claim was put off (the server is down: beat's next tick
    tries again). Returns the row counts and ``more``: 1 when the budget ran out with work left, so the caller
    re-queues the task and a worker asked to stop is free within its grace period.
    """
    budget = settings.OUTBOX_TASK_BUDGET_SECONDS if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    worker = worker_token()
    smtp = _Smtp()
    try:
        with _asynchronous_commits():
            return _deliver(deadline=deadline, limit=limit, worker=worker, smtp=smtp)
    finally:
        smtp.close()


def _deliver(*, deadline: float, limit, worker: str, smtp: _Smtp) -> dict:
    total = {"sent": 0, "retry": 0, "failed": 0, "more": 0}
    contended = 0
    while True:
        if time.monotonic() >= deadline:
            total["more"] = 1
            return total
        counts = deliver_batch(limit=limit, deadline=deadline, worker=worker, smtp=smtp)
        for key, value in counts.items():
            total[key] += value
        if not any(counts.values()):
            # Nothing claimed: done, unless due rows are held by other workers' claims in progress.
            contended += 1
            if contended > 3 or not _peek_claimable():
                return total
            time.sleep(0.05 * contended)
        elif counts["sent"] == 0 and time.monotonic() < deadline:
            return total  # nothing went out: the server is down or refusing; beat's next tick tries again


def _peek_claimable() -> bool:
    return OutboxMessage.objects.filter(_claimable(timezone.now())).exists()


def _mark_sent(pks: list[int]) -> None:
    """Record at once that the SMTP server accepted these rows: a worker killed after this never resends them."""
    OutboxMessage.objects.filter(pk__in=pks).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="",
        claimed_by="", lease_until=None)


@contextlib.contextmanager
def _asynchronous_commits():
    """While a batch is delivered, PostgreSQL commits without waiting for the WAL flush.

    Each "sent" mark is still its own commit, visible to every other worker at once; only a crash of the database
    server itself within a fraction of a second could forget one — then that e-mail would go out twice, never
    zero times (README, "Delivery guarantee"). Reset after the batch, so nothing else on the connection is affected.
    """
    postgres = connection.vendor == "postgresql" and not getattr(connection, "_outbox_async_commits", False)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        connection._outbox_async_commits = True
    try:
        yield
    finally:
        if postgres:
            connection._outbox_async_commits = False
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def _record_failure(group: list[OutboxMessage], exc, *, worker: str, now=None) -> str:
    """Record one e-mail's try that did not succeed on all its rows; returns the count it goes to."""
    first = group[0]
    kind = _classify(exc, first.to)
    now = now or timezone.now()
    changes = {"last_error": _answer(exc)[:2000], "claimed_by": "", "lease_until": None}
    if kind == TEMPORARY:
        changes.update(status=Status.RETRY, deferrals=F("deferrals") + 1,
                       next_attempt_at=now + backoff(first.deferrals + 1))
    elif kind == PERMANENT or first.attempts + 1 >= max_attempts():
        changes.update(status=Status.FAILED, attempts=F("attempts") + 1, next_attempt_at=None)
    else:
        changes.update(status=Status.RETRY, attempts=F("attempts") + 1,
                       next_attempt_at=now + backoff(first.attempts + 1))
    if kind != TEMPORARY:
        log.warning("E-mail %s to %s: %s", message_id(group), ", ".join(first.to), changes["last_error"])
    # Only while the rows are still this worker's: a worker whose lease expired must not undo another's "sent".
    OutboxMessage.objects.filter(pk__in=[m.pk for m in group], status=Status.SENDING, claimed_by=worker).update(
        **changes)
    return "failed" if changes["status"] == Status.FAILED else "retry"


def _requeue(rows, *, actor, reason: str) -> int:
    """Back to the queue as new, with a new Message-ID (a deliberate resend), recorded in history."""
    from simple_history.utils import bulk_update_with_history

    rows = list(rows)
    for row in rows:
        row.status, row.attempts, row.deferrals = Status.QUEUED, 0, 0
        row.next_attempt_at, row.last_error, row.claimed_by, row.lease_until = None, "", "", None
        row.resends += 1
    bulk_update_with_history(
        rows, OutboxMessage, ["status", "attempts", "deferrals", "next_attempt_at", "last_error", "claimed_by",
                              "lease_until", "resends"],
        batch_size=500, default_user=actor, default_change_reason=reason)
    if rows:
        transaction.on_commit(schedule_delivery)
    return len(rows)


@transaction.atomic
def resend(*, message: OutboxMessage, actor) -> OutboxMessage:
    """Put a failed or sent message back in the queue (an administrator's deliberate resend).

    A row of a group (a person's morning of reminders) goes back with the group's other rows in the same
    state, so the person still gets one e-mail.
    """
    rows = OutboxMessage.objects.select_for_update().filter(pk=message.pk)
    if message.group_key:
        rows = OutboxMessage.objects.select_for_update().filter(
            Q(pk=message.pk) | Q(group_key=message.group_key, status=message.status))
    _requeue(rows.order_by("id"), actor=actor, reason="Resent from the outbox")
    message.refresh_from_db()
    return message


@transaction.atomic
def resend_failed(*, agency, actor) -> int:
    """Queue every failed e-mail of the agency again, in one go ("N e-mails failed — resend all")."""
    rows = OutboxMessage.objects.select_for_update().filter(agency=agency, status=Status.FAILED).order_by("id")
    return _requeue(rows, actor=actor, reason="Resent with every failed e-mail from the outbox")
