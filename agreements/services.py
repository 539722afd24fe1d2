"""Writes of the agreements register: one function per use case, history reason on each (R-AGR-1, R-AGR-2)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from common.dates import in_words
from common.history import stamp
from common.reference_data import ensure_periodic_tasks
from compliance.services import ensure_rule_rows
from notifications.services import queue_email
from people.models import Membership

from . import rules, selectors
from .defaults import AGREEMENT_RULES, SCHEDULES
from .models import Agreement, AgreementParty, AgreementReview, AgreementSignatory

# The signed document: a PDF or a scan, at most 10 MB (DESIGN.md: uploads are limited in size and type).
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {  # suffix -> (content type, the file's first bytes)
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def check_document(upload) -> str:
    """Refuse a file that is too large or is not a PDF, PNG or JPEG (by name *and* content); return its suffix."""
    name = upload.name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(f'"{name}" is not a PDF, PNG or JPEG file.')
    if upload.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(f'"{name}" is {upload.size / 1024 / 1024:.1f} MB; the limit is 10 MB.')
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in DOCUMENT_TYPES[suffix][1]):
        raise ValidationError(f'"{name}" does not look like a {suffix.upper()} file.')
    return suffix


def _save(obj, *, actor, reason: str):
    obj.full_clean()
    stamp(obj, actor=actor, reason=reason)
    obj.save()
    return obj


@transaction.atomic
def create_agreement(*, agency, actor, kind: str, title: str, effective_on: date, ends_on: date | None = None,
                     notes: str = "") -> Agreement:
    """R-AGR-1: add an agreement to the agency's register."""
    agreement = Agreement(agency=agency, kind=kind, title=title, effective_on=effective_on, ends_on=ends_on,
                          notes=notes)
    return _save(agreement, actor=actor, reason="Agreement added")


@transaction.atomic
def update_agreement(*, agreement: Agreement, actor, reason: str = "Agreement edited", **fields) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.is_voided:
        raise ValidationError("A voided agreement cannot be changed.")
    for name, value in fields.items():
        setattr(agreement, name, value)
    return _save(agreement, actor=actor, reason=reason)


@transaction.atomic
def void_agreement(*, agreement: Agreement, actor, reason: str) -> Agreement:
    """Nothing an auditor may ask about is deleted: a mistaken agreement is voided with a reason."""
    if not reason.strip():
        raise ValidationError("Say why the agreement is voided.")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.voided_at = timezone.now()
    agreement.voided_by = actor
    agreement.void_reason = reason.strip()
    return _save(agreement, actor=actor, reason=f"Voided: {reason.strip()}")


@transaction.atomic
def add_party(*, agreement: Agreement, actor, name: str, ori: str = "") -> AgreementParty:
    """R-AGR-1: another party to the agreement, with its ORI where it has one."""
    return _save(AgreementParty(agreement=agreement, name=name, ori=ori.strip().upper()), actor=actor,
                 reason="Party added")


@transaction.atomic
def add_signatory(*, agreement: Agreement, actor, signed_on: date, person=None, name: str = "",
                  signer_title: str = "", is_signing_official: bool = True) -> AgreementSignatory:
    """R-AGR-2: record a signature. A later signing official replaces the earlier one (a re-signing)."""
    if person is not None and person.agency_id != agreement.agency_id:
        raise ValidationError("The signatory must be one of the agency's people.")
    if person is not None and not name:
        name = person.full_name  # the name as it was at signing
    if person is None:
        is_signing_official = False  # only the agency's own people are followed for separation
    signatory = AgreementSignatory(agreement=agreement, person=person, name=name, signer_title=signer_title,
                                   signed_on=signed_on, is_signing_official=is_signing_official)
    return _save(signatory, actor=actor, reason="Signature recorded")


@transaction.atomic
def record_review(*, agreement: Agreement, actor, reviewed_on: date, reviewed_by=None,
                  notes: str = "") -> AgreementReview:
    """R-AGR-2: the annual review; the next one falls due 12 months later."""
    if reviewed_on < agreement.effective_on:
        raise ValidationError("A review cannot come before the agreement took effect.")
    return _save(AgreementReview(agreement=agreement, reviewed_on=reviewed_on, reviewed_by=reviewed_by, notes=notes),
                 actor=actor, reason="Annual review recorded")


@transaction.atomic
def attach_document(*, agreement: Agreement, actor, upload) -> Agreement:
    """Store the signed document (checked for size and type); the previous file stays in history."""
    check_document(upload)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    original = upload.name
    agreement.document.save(original, upload, save=False)
    agreement.document_name = original[-200:]
    return _save(agreement, actor=actor, reason="Signed document uploaded")


def send_agreement_reminders(*, today: date | None = None) -> int:
    """R-AGR-2, daily: e-mail the LEDS Representatives 30 days before an agreement's review is due, and once when
    a signing official has left (re-sign within 30 days). Keys make a second run on the same day queue nothing;
    a missed day still sends, because every day inside the window qualifies. Returns the e-mails queued."""

    review_rule, resign_rule = selectors.agreement_rules()
    recipients: dict[int, list[str]] = {}
    for agency_id, email in Membership.objects.filter(
            role=Membership.Role.LEDS_REPRESENTATIVE, user__is_active=True).exclude(user__email="").values_list(
            "agency_id", "user__email"):
        recipients.setdefault(agency_id, []).append(email)
    queued = 0
    agreements = selectors.with_details(Agreement.objects.filter(voided_at__isnull=True))
    for agreement in agreements:
        to = sorted(set(recipients.get(agreement.agency_id, [])))
        if not to:
            continue
        local_today = today or timezone.localdate(timezone=agreement.agency.zone)
        standing = rules.standing(selectors.facts_of(agreement, agreement.agency.zone), review_rule=review_rule,
                                  resign_rule=resign_rule, today=local_today)
        context = {"agreement": str(agreement), "agency": agreement.agency.name, "due": "", "official": ""}
        if standing.status == rules.RESIGN_NEEDED:
            context.update(due=in_words(standing.resign_by), official=standing.departed_official)
            _, created = queue_email(
                to=to, subject=f"Re-sign by {in_words(standing.resign_by)}: {agreement}",
                template="email/agreements/resign", context=context, agency=agreement.agency,
                key=f"agreement-resign:{agreement.pk}:{standing.resign_by:%Y-%m-%d}")
            queued += created
        elif standing.status in (rules.REVIEW_DUE_SOON, rules.IN_FORCE) and \
                standing.remind_on <= local_today <= standing.review_due_on:
            context["due"] = in_words(standing.review_due_on)
            _, created = queue_email(
                to=to, subject=f"Annual review due {in_words(standing.review_due_on)}: {agreement}",
                template="email/agreements/review", context=context, agency=agreement.agency,
                key=f"agreement-review:{agreement.pk}:{standing.review_due_on:%Y-%m-%d}")
            queued += created
    return queued


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): R-AGR-2's rule rows and the daily reminder run."""
    ensure_rule_rows(AGREEMENT_RULES, using=using)
    ensure_periodic_tasks(SCHEDULES, using=using)
