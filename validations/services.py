"""Writes of validations: one function per use case (R-VA-2..5). Each owns its transaction and history reason."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from agreements.selectors import holder_of_record_oris
from common.dates import in_words
from common.history import stamp
from common.reference_data import create_missing
from common.signals import records_changed
from compliance.services import ensure_rule_rows
from notifications.services import queue_email
from people.models import Person

from . import rules, selectors
from .defaults import RECORD_TYPES, VALIDATION_RULES
from .models import (
    ContactLog,
    CycleAmendment,
    ProcedureDocument,
    RecordType,
    RegisteredEntry,
    ValidationCycle,
    ValidationEntry,
)

PROCEDURE_SUFFIXES = {".pdf": "application/pdf",
                      ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      ".doc": "application/msword"}
PROCEDURE_MAX_BYTES = 10 * 1024 * 1024


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _refuse_if_certified(cycle: ValidationCycle) -> None:
    if cycle.is_certified:
        raise ValidationError(
            f"This list was certified on {in_words(cycle.certified_on)} and is read-only; record a correction as an "
            "amendment (R-VA-3).")


# --- assignment ------------------------------------------------------------------------------------------

def assign_entries(*, cycle_id: int, entry_ids: list[int], validator: Person, actor, today: date,
                   now: datetime | None = None) -> int:
    """Assign open entries of a cycle to a LEDS-certified validator of the agency and e-mail them (R-VA-4).

    Entries that already have an outcome keep their validator. Returns how many were assigned.
    """

    now = now or timezone.now()
    with transaction.atomic():
        cycle = ValidationCycle.objects.select_for_update().select_related("agency").get(pk=cycle_id)
        _refuse_if_certified(cycle)
        if validator.agency_id != cycle.agency_id:
            raise ValidationError(f"{validator} is not on the staff of {cycle.agency.name}.")
        if not selectors.may_validate(person=validator, today=today):
            raise ValidationError(f"{validator} cannot validate: only active, LEDS-certified staff with a sign-in "
                                  "may be assigned entries (R-CE-4, R-VA-4).")
        entries = list(cycle.entries.filter(pk__in=entry_ids, outcome=""))
        if not entries:
            return 0
        # a bulk write sends no history signal: the new validator's worklist and the previous ones' (issue 23)
        records_changed.send(sender=ValidationEntry, person_ids={validator.pk, *(e.validator_id for e in entries)})
        for entry in entries:
            entry.validator = validator
            entry.assigned_at = now
        bulk_update_with_history(entries, ValidationEntry, ["validator", "assigned_at"], batch_size=2000,
                                 default_user=_user(actor), default_change_reason=f"Assigned to {validator}")
        address = validator.email or (validator.user.email if validator.user_id else "")
        if address:
            digest = hashlib.sha256(",".join(str(e.pk) for e in sorted(entries, key=lambda e: e.pk)).encode())
            queue_email(
                to=[address], subject=f"Validation entries assigned to you (due {in_words(cycle.due_on)})",
                template="email/validations/assignment",
                context={"name": validator.full_name, "count": len(entries), "agency": cycle.agency.name,
                         "received_on": in_words(cycle.received_on), "due_on": in_words(cycle.due_on)},
                key=f"validation-assignment:{cycle.pk}:{validator.pk}:{digest.hexdigest()[:24]}",
                agency=cycle.agency,
            )
    return len(entries)


# --- the entry: review, contacts, outcome ----------------------------------------------------------------

def add_contact(*, entry_id: int, contacted_on: date, who: str, method: str, result: str, actor) -> ContactLog:
    """R-VA-4: log a contact (who, method, date, result) made to validate an entry."""
    with transaction.atomic():
        entry = ValidationEntry.objects.select_related("cycle").get(pk=entry_id)
        _refuse_if_certified(entry.cycle)
        contact = ContactLog(entry=entry, contacted_on=contacted_on, who=who, method=method, result=result,
                             recorded_by=_user(actor))
        contact.full_clean()
        stamp(contact, actor=_user(actor), reason="Contact logged")
        contact.save()
    return contact


def void_contact(*, contact_id: int, reason: str, actor, now: datetime | None = None) -> ContactLog:
    """A mistaken contact entry is voided with a reason, never deleted; refused if an outcome rests on it."""
    if not reason.strip():
        raise ValidationError("Say why the contact entry is voided.")
    with transaction.atomic():
        contact = ContactLog.objects.select_for_update().select_related("entry__cycle", "entry__record_type").get(
            pk=contact_id)
        entry = contact.entry
        _refuse_if_certified(entry.cycle)
        live = entry.contacts.filter(voided_at__isnull=True).exclude(pk=contact.pk).count()
        message = rules.missing_contact(outcome=entry.outcome, contact_count=live,
                                        is_contact_required=entry.record_type.is_contact_required)
        if message:
            raise ValidationError(f"The recorded outcome rests on this contact. {message}")
        contact.voided_at, contact.voided_by, contact.void_reason = now or timezone.now(), _user(actor), reason[:300]
        stamp(contact, actor=_user(actor), reason=f"Voided: {reason}"[:100])
        contact.save()
    return contact


def _check_outcome(entry: ValidationEntry, *, is_reviewed: bool, outcome: str, outcome_detail: str,
                   outcome_on: date | None) -> None:
    errors = {}
    if outcome:
        if not is_reviewed:
            errors["is_reviewed_against_case_file"] = (
                "Review the entry against the case file before an outcome (R-VA-4).")
        if outcome_on is None:
            errors["outcome_on"] = "Give the date of the outcome."
        needs_detail = outcome in (ValidationEntry.Outcome.MODIFIED, ValidationEntry.Outcome.RETAINED)
        if needs_detail and not outcome_detail.strip():
            errors["outcome_detail"] = ("Say what changed." if outcome == ValidationEntry.Outcome.MODIFIED
                                        else "Give the reason the record is retained on best information.")
        contacts = entry.contacts.filter(voided_at__isnull=True).count()
        message = rules.missing_contact(outcome=outcome, is_contact_required=entry.record_type.is_contact_required,
                                        contact_count=contacts)
        if message:
            errors["outcome"] = message
    if errors:
        raise ValidationError(errors)


def _sync_register(entry: ValidationEntry, *, previous_outcome: str, actor, reason: str) -> None:
    """R-VA-2: a validating outcome moves the register's last validation; a cancellation closes the record."""
    if entry.registered_entry_id is None:
        return
    register = RegisteredEntry.objects.select_for_update().select_related("record_type").get(
        pk=entry.registered_entry_id)
    if entry.outcome == rules.CANCELLED:
        register.cancelled_on = entry.outcome_on
    elif previous_outcome == rules.CANCELLED and register.cancelled_on is not None:
        register.cancelled_on = None  # the cancellation was corrected
    register.last_validated_on = rules.last_validated_after(previous=register.last_validated_on,
                                                            outcome=entry.outcome, outcome_on=entry.outcome_on)
    register.next_due_on = rules.next_validation_due(
        dte=register.dte, last_validated_on=register.last_validated_on,
        is_person_record=register.record_type.is_person_record, rules=selectors.validation_rules(),
        cancelled_on=register.cancelled_on)
    stamp(register, actor=actor, reason=reason)
    register.save()


def record_validation(*, entry_id: int, is_reviewed: bool, outcome: str, outcome_detail: str = "",
                      outcome_on: date | None, actor) -> ValidationEntry:
    """R-VA-4: record the review against the case file and the outcome; refused without a required contact."""
    with transaction.atomic():
        entry = ValidationEntry.objects.select_for_update().select_related("cycle", "record_type").get(pk=entry_id)
        _refuse_if_certified(entry.cycle)
        _check_outcome(entry, is_reviewed=is_reviewed, outcome=outcome, outcome_detail=outcome_detail,
                       outcome_on=outcome_on)
        previous = entry.outcome
        entry.is_reviewed_against_case_file = is_reviewed
        entry.outcome = outcome
        entry.outcome_detail = outcome_detail.strip() if outcome else ""
        entry.outcome_on = outcome_on if outcome else None
        entry.outcome_by = _user(actor) if outcome else None
        entry.full_clean()
        reason = f"Outcome: {entry.get_outcome_display()}" if outcome else "Review recorded"
        stamp(entry, actor=_user(actor), reason=reason)
        entry.save()
        _sync_register(entry, previous_outcome=previous, actor=_user(actor), reason=reason)
    return entry


# --- certification and amendments (R-VA-3) ---------------------------------------------------------------

def certify_cycle(*, cycle_id: int, name: str, title: str, signed_on: date, actor,
                  now: datetime | None = None) -> ValidationCycle:
    """R-VA-3: the LEDS Representative signs (typed name, title, date) once every entry has an outcome."""
    with transaction.atomic():
        cycle = ValidationCycle.objects.select_for_update().get(pk=cycle_id)
        _refuse_if_certified(cycle)
        total = cycle.entries.count()
        done = cycle.entries.exclude(outcome="").count()
        if not rules.can_certify(entry_count=total, with_outcome=done):
            raise ValidationError(f"{total - done} of {total} entries have no outcome yet; every entry needs one "
                                  "before the list is certified (R-VA-3).")
        errors = {}
        if not name.strip():
            errors["name"] = "Type your name as your signature."
        if not title.strip():
            errors["title"] = "Give your title."
        if signed_on < cycle.received_on:
            errors["signed_on"] = "The certification cannot be signed before the list was received."
        if errors:
            raise ValidationError(errors)
        cycle.certified_name, cycle.certified_title, cycle.certified_on = name.strip(), title.strip(), signed_on
        cycle.certified_by, cycle.certified_at = _user(actor), now or timezone.now()
        cycle.full_clean()
        stamp(cycle, actor=_user(actor), reason="Validation list certified")
        cycle.save()
    return cycle


def amend_entry(*, entry_id: int, outcome: str, outcome_detail: str, outcome_on: date, reason: str, actor,
                amended_on: date) -> CycleAmendment:
    """R-VA-3: correct an entry of a certified list; the certification stands and the amendment is logged."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the certified list is corrected."})
    with transaction.atomic():
        entry = ValidationEntry.objects.select_for_update().select_related("cycle", "record_type").get(pk=entry_id)
        if not entry.cycle.is_certified:
            raise ValidationError("The list is not certified yet: change the entry itself.")
        if not outcome:
            raise ValidationError({"outcome": "An entry of a certified list keeps an outcome."})
        _check_outcome(entry, is_reviewed=True, outcome=outcome, outcome_detail=outcome_detail, outcome_on=outcome_on)
        before = f"{entry.get_outcome_display()} on {in_words(entry.outcome_on)}"
        if entry.outcome_detail:
            before += f" ({entry.outcome_detail})"
        previous = entry.outcome
        entry.outcome, entry.outcome_detail, entry.outcome_on = outcome, outcome_detail.strip(), outcome_on
        entry.outcome_by = _user(actor)
        entry.full_clean()
        after = f"{entry.get_outcome_display()} on {in_words(entry.outcome_on)}"
        if entry.outcome_detail:
            after += f" ({entry.outcome_detail})"
        history_reason = f"Amendment: {reason}"[:100]
        stamp(entry, actor=_user(actor), reason=history_reason)
        entry.save()
        amendment = CycleAmendment(cycle=entry.cycle, entry=entry, reason=reason.strip()[:300],
                                   changes=f"{entry.nic}: {before} → {after}", amended_on=amended_on,
                                   amended_by=_user(actor))
        amendment.full_clean()
        stamp(amendment, actor=_user(actor), reason=history_reason)
        amendment.save()
        _sync_register(entry, previous_outcome=previous, actor=_user(actor), reason=history_reason)
    return amendment


# --- the register (R-VA-2) --------------------------------------------------------------------------------

def register_entry(*, agency, nic: str, ori: str, oca: str, record_type, dte: date, subject: str,
                   operator: str = "", actor) -> RegisteredEntry:
    """R-VA-2: put a record the agency entered into LEDS on its register, so its first validation is known."""

    with transaction.atomic():
        entry = RegisteredEntry(agency=agency, nic=nic.strip().upper(), ori=ori.strip().upper(), oca=oca.strip(),
                                record_type=record_type, dte=dte, subject=subject.strip(), operator=operator.strip())
        if entry.ori != agency.ori and entry.ori not in holder_of_record_oris(agency=agency, on=dte):
            raise ValidationError({"ori": f"{entry.ori} is neither this agency's ORI ({agency.ori}) nor covered by a "
                                          "holder-of-record agreement in force (R-VA-5)."})
        entry.next_due_on = rules.next_validation_due(dte=entry.dte, last_validated_on=None,
                                                      is_person_record=record_type.is_person_record,
                                                      rules=selectors.validation_rules())
        entry.full_clean()
        stamp(entry, actor=_user(actor), reason="Entered in the register")
        entry.save()
    return entry


# --- the procedure document (R-VA-4) ---------------------------------------------------------------------

def check_procedure_upload(upload) -> str:
    """The content type of an acceptable procedure upload, or ValidationError saying why not."""
    if upload is None:
        raise ValidationError({"document": "Choose the procedure document to upload."})
    suffix = Path(upload.name).suffix.lower()
    if suffix not in PROCEDURE_SUFFIXES:
        raise ValidationError({"document": "Upload the procedure as PDF or Word (.pdf, .docx, .doc)."})
    if upload.size > PROCEDURE_MAX_BYTES:
        raise ValidationError({"document": f"The file is larger than {PROCEDURE_MAX_BYTES // (1024 * 1024)} MB."})
    return PROCEDURE_SUFFIXES[suffix]


def upload_procedure(*, agency, title: str, version: str, effective_on: date, upload, actor) -> ProcedureDocument:
    """R-VA-4: keep the agency's written validation procedure on file (a new version, never an overwrite)."""
    content_type = check_procedure_upload(upload)
    with transaction.atomic():
        document = ProcedureDocument(agency=agency, title=title.strip() or "Validation procedure",
                                     version=version.strip(), effective_on=effective_on,
                                     original_filename=Path(upload.name).name[:200], content_type=content_type,
                                     uploaded_by=_user(actor))
        document.document.save(Path(upload.name).name, upload, save=False)
        try:
            document.full_clean()
        except ValidationError:
            document.document.delete(save=False)
            raise
        stamp(document, actor=_user(actor), reason=f"Procedure version {document.version} uploaded")
        document.save()
    return document


def void_procedure(*, procedure_id: int, reason: str, actor, now: datetime | None = None) -> ProcedureDocument:
    """A version kept on file by mistake is voided with a reason, never deleted (R-VA-4, R-AU-1).

    A voided version stays in the list and the history but is never "in effect": the procedure page and the
    audit packet skip it (selectors.current_procedure). Its version number may then be uploaded again.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why this version of the procedure is voided."})
    with transaction.atomic():
        document = ProcedureDocument.objects.select_for_update().get(pk=procedure_id)
        if document.is_voided:
            raise ValidationError(f"Version {document.version} was already voided on "
                                  f"{in_words(timezone.localdate(document.voided_at))}.")
        document.voided_at, document.voided_by = now or timezone.now(), _user(actor)
        document.void_reason = reason.strip()[:300]
        stamp(document, actor=_user(actor), reason=f"Voided: {reason.strip()}"[:100])
        document.save()
    return document


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the MKE table and the validations' rule rows."""
    create_missing(RecordType, key=["mke"], using=using, rows=(
        {"mke": mke, "name": name, "is_person_record": is_person, "is_contact_required": is_contact}
        for mke, name, is_person, is_contact in RECORD_TYPES))
    ensure_rule_rows(VALIDATION_RULES, using=using)
