"""Issuing certificates and transcripts (issue 21): a POST stores what the document says; downloads only read."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.dates import in_words
from common.history import stamp
from compliance.services import ensure_rule_rows
from people.models import Agency
from state_access import services as state_access_services

from . import selectors
from .defaults import OSP_REPLY
from .models import AccountRequest, IssuedDocument, RequestBatch

# no 0/O, 1/I/L, U: a code read aloud over the phone or typed from paper is unambiguous
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _issue(*, person, kind: str, content: dict, actor, certification_class=None) -> IssuedDocument:
    for _ in range(5):  # a clash of 30**12 codes is improbable; try again rather than fail
        document = IssuedDocument(agency=person.agency, person=person, kind=kind, code=new_code(),
                                  issued_by=actor, issued_by_name=selectors._name(actor),
                                  certification_class=certification_class, content=content)
        document.full_clean()
        stamp(document, actor=actor, reason=f"{document.get_kind_display()} issued to {person.full_name}")
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            continue
        return document
    raise ValidationError("Could not draw a unique verification code; try again.")


def issue_certificate(*, person, actor, today: date, certification_class=None) -> IssuedDocument:
    """A certificate of the person's current LEDS certification (refused when there is none)."""
    content = selectors.certificate_content(person=person, today=today)
    return _issue(person=person, kind=IssuedDocument.Kind.CERTIFICATE, content=content, actor=actor,
                  certification_class=certification_class)


def issue_transcript(*, person, actor, today: date) -> IssuedDocument:
    content = selectors.transcript_content(person=person, today=today)
    return _issue(person=person, kind=IssuedDocument.Kind.TRANSCRIPT, content=content, actor=actor)


def issue_class_certificates(*, certification_class, actor, today: date) -> tuple[list[IssuedDocument], list[str]]:
    """A certificate for everyone on the class roster who passed; those without a current one are named."""
    issued, refused = [], []
    with transaction.atomic():
        enrollments = (certification_class.enrollments.filter(withdrawn_at__isnull=True, result="pass")
                       .select_related("person", "person__agency").order_by("person__last_name", "person__first_name"))
        for enrollment in enrollments:
            try:
                issued.append(issue_certificate(person=enrollment.person, actor=actor, today=today,
                                                certification_class=certification_class))
            except ValidationError as error:
                refused.append(" ".join(error.messages))
    return issued, refused


# Account requests to OSP (R-AC-1, R-AC-2) ------------------------------------------------------------------

def produce_request_batch(*, agency, tokens: list[str], actor, today: date) -> RequestBatch:
    """A batch of the selected pending requests, marked sent to OSP today with the batch number.

    A request already in a live batch is never sent again (a second click, or two people at once): the agency
    row is locked while the batch is numbered and filled, and the database refuses a second live line.
    """
    wanted = set()
    for token in tokens:
        action, _, pk = token.partition(":")
        if action in AccountRequest.Action.values and pk.isdigit():
            wanted.add((action, int(pk)))
    if not wanted:
        raise ValidationError("Select at least one request to send to OSP.")
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)
        pending = {(p.action, p.account.pk): p for p in selectors.pending_requests(user=actor, agency=agency)}
        chosen = [pending[key] for key in sorted(wanted) if key in pending]
        if not chosen:
            raise ValidationError("Nothing to send: every selected request is already in a batch sent to OSP.")
        year_count = RequestBatch.objects.filter(agency=agency, sent_on__year=today.year).count()
        batch = RequestBatch(agency=agency, number=f"{agency.ori}-{today:%Y}-{year_count + 1:03d}", sent_on=today,
                             created_by=actor, signatory=selectors.representative_name(agency=agency))
        batch.full_clean()
        stamp(batch, actor=actor, reason=f"Account requests sent to OSP ({len(chosen)})")
        batch.save()
        levels = selectors.certification_levels([p.account.person_id for p in chosen])
        for item in chosen:
            person = item.account.person
            line = AccountRequest(batch=batch, account=item.account, action=item.action,
                                  person_name=f"{person.last_name}, {person.first_name}",
                                  employee_id=person.employee_id, position=person.position,
                                  system_name=item.account.system.name, username=item.account.username,
                                  certification_level=levels.get(person.pk, ""))
            line.full_clean(exclude=["batch"])
            stamp(line, actor=actor, reason=f"Sent to OSP in batch {batch.number}")
            line.save()
    return batch


def _answer_moment(*, answered_on: date, zone, after, now):
    """When OSP's step happened, as far as we know: noon of the answer's day, never before the previous step
    nor after now (the account's dates then say when OSP acted, not when someone typed it in)."""
    moment = datetime.combine(answered_on, time(12, 0), tzinfo=zone)
    if after and moment < after:
        moment = after
    return min(moment, now)


def record_osp_answer(*, account, action: str, outcome: str, answered_on: date, actor, reason: str = "",
                      now: datetime | None = None) -> AccountRequest:
    """OSP's answer to a request sent in a batch: done moves the account on, rejected says why.

    Refused for a request that is in no sent batch, and for one already answered.
    """
    now = now or timezone.now()
    if outcome not in AccountRequest.Outcome.values:
        raise ValidationError({"outcome": "Say whether OSP did it or rejected it."})
    if outcome == AccountRequest.Outcome.REJECTED and not reason.strip():
        raise ValidationError({"reason": "Say why OSP rejected the request."})
    if answered_on > now.astimezone(account.person.agency.zone).date():
        raise ValidationError({"answered_on": "OSP's answer cannot be dated in the future."})
    with transaction.atomic():
        line = (AccountRequest.objects.select_for_update().select_related("batch")
                .filter(account=account, action=action, outcome="").first())
        if line is None:
            raise ValidationError("This request was not sent to OSP in a batch (or its answer is already "
                                  "recorded): produce a batch first.")
        if answered_on < line.batch.sent_on:
            raise ValidationError({"answered_on": f"OSP cannot answer before the batch was sent "
                                                  f"({in_words(line.batch.sent_on)})."})
        if outcome == AccountRequest.Outcome.DONE:
            zone = account.person.agency.zone
            if action == AccountRequest.Action.CREATE:
                at = _answer_moment(answered_on=answered_on, zone=zone, after=account.requested_at, now=now)
                state_access_services.activate_account(account=account, actor=actor, at=at)
            else:
                at = _answer_moment(answered_on=answered_on, zone=zone, after=account.disable_requested_at, now=now)
                state_access_services.disable_account(account=account, actor=actor, at=at)
        line.outcome = outcome
        line.answered_on = answered_on
        line.rejection_reason = reason.strip() if outcome == AccountRequest.Outcome.REJECTED else ""
        line.answered_at = now
        line.answered_by = actor
        line.full_clean()
        stamp(line, actor=actor, reason=f"OSP answered: {line.get_outcome_display().lower()}")
        line.save()
    return line


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the OSP reply row of the rule table."""
    ensure_rule_rows([OSP_REPLY], using=using)
