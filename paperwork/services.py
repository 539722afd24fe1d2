"""Issuing certificates and transcripts (issue 21): a POST stores what the document says; downloads only read."""

from __future__ import annotations

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from common.history import stamp

from . import selectors
from .models import IssuedDocument

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
