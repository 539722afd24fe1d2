"""Writes of the audit app: audits and findings (R-AU-1), packet requests and builds, investigation exports."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import security_log
from accounts.models import SecurityEvent
from common.dates import in_words
from common.history import stamp
from common.pdf import render_pdf
from common.reference_data import ensure_periodic_tasks
from compliance.services import ensure_rule_rows

from . import packet as packet_builder
from . import rules
from .defaults import AUDIT_RULES, SCHEDULES
from .investigation import investigation_context
from .models import Audit, AuditPacket, Finding


def _save(obj, *, actor, reason: str):
    obj.full_clean()
    stamp(obj, actor=actor, reason=reason)
    obj.save()
    return obj


@transaction.atomic
def record_audit(*, agency, actor, audited_on: date, auditor: str, auditor_name: str = "",
                 summary: str = "") -> Audit:
    """R-AU-1: record an audit; a state audit restarts the 3-year clock."""
    return _save(Audit(agency=agency, audited_on=audited_on, auditor=auditor, auditor_name=auditor_name,
                       summary=summary), actor=actor, reason="Audit recorded")


@transaction.atomic
def void_audit(*, audit: Audit, actor, reason: str) -> Audit:
    if not reason.strip():
        raise ValidationError("Say why the audit is voided.")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    audit.voided_at, audit.voided_by, audit.void_reason = timezone.now(), actor, reason.strip()
    return _save(audit, actor=actor, reason=f"Voided: {reason.strip()}")


@transaction.atomic
def add_finding(*, audit: Audit, actor, summary: str, requirement: str = "", corrective_action: str = "",
                due_on: date | None = None) -> Finding:
    """R-AU-1: a finding of the audit with its corrective action and due date."""
    if audit.is_voided:
        raise ValidationError("A voided audit takes no findings.")
    return _save(Finding(audit=audit, summary=summary, requirement=requirement,
                         corrective_action=corrective_action, due_on=due_on), actor=actor, reason="Finding recorded")


@transaction.atomic
def complete_corrective_action(*, finding: Finding, actor, completed_on: date, note: str = "") -> Finding:
    """R-AU-1: the corrective action is done; the packet's prior findings show when."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.completed_on is not None:
        raise ValidationError(f"Already completed on {in_words(finding.completed_on)}.")
    if completed_on < finding.audit.audited_on:
        raise ValidationError("A corrective action cannot be completed before the audit.")
    finding.completed_on = completed_on
    reason = "Corrective action completed" + (f": {note.strip()}" if note.strip() else "")
    return _save(finding, actor=actor, reason=reason[:100])


# --- audit packets (R-AU-1) --------------------------------------------------------------------------------

def request_packet(*, agency, actor, period_start_on: date, period_end_on: date, today: date,
                   request=None, queue: bool = True) -> AuditPacket:
    """Queue a packet for ``agency``; a Celery worker builds it (audit.tasks) after the commit.

    Auditors may call this too: it writes only the packet row and the security-log entry, never a record.
    """

    from .tasks import build_audit_packet  # circular: tasks.py imports this module to run build_packet

    problem = rules.packet_period_problem(start=period_start_on, end=period_end_on, today=today)
    if problem:
        raise ValidationError({"period_start_on": problem})
    with transaction.atomic():
        packet = AuditPacket(agency=agency, requested_by=actor, period_start_on=period_start_on,
                             period_end_on=period_end_on, step="Waiting for a worker")
        packet.full_clean()
        packet.save()
        # the packet holds background-check dates and outcomes: its build is logged like a read of them (R-SEC-5)
        security_log.record(event=SecurityEvent.Kind.ADMIN_ACTION, actor=actor, request=request, agency=agency,
                            target=f"audit packet {packet.pk}",
                            details={"action": "audit_packet_requested",
                                     "period": f"{period_start_on}..{period_end_on}"})
        if queue:  # the command builds in its own process instead
            transaction.on_commit(lambda: _dispatch_build(build_audit_packet, packet.pk))
    return packet


def _dispatch_build(task, packet_id: int) -> None:
    """Hand the build to a worker; with the broker down the request still answers, and beat's minute tick
    (``build_waiting_packets``) builds what is left waiting."""
    import logging

    try:
        task.apply_async(args=[packet_id], retry=False)
    except Exception as exc:  # any broker failure: the packet row stays queued, nothing is lost
        logging.getLogger(__name__).warning("Audit packet %s waits for beat's tick (broker down?): %s",
                                            packet_id, exc)


def build_waiting_packets(*, older_than_seconds: int = 60, now=None) -> int:
    """Build every packet still queued a while after it was requested (its hand-over to a worker failed or was
    lost); ``build_packet`` claims each first, so a packet is never built twice."""
    from datetime import timedelta

    cutoff = (now or timezone.now()) - timedelta(seconds=older_than_seconds)
    waiting = list(AuditPacket.objects.filter(status=AuditPacket.Status.QUEUED, requested_at__lte=cutoff)
                   .order_by("requested_at").values_list("pk", flat=True))
    return sum(1 for packet_id in waiting if build_packet(packet_id=packet_id) is not None)


def _progress(packet_id: int):
    def report(percent: int, step: str) -> None:
        AuditPacket.objects.filter(pk=packet_id).update(progress=min(max(percent, 0), 99), step=step[:200])
    return report


def build_packet(*, packet_id: int, report=None) -> AuditPacket | None:
    """Build a queued packet: claim it, render it section by section, store the file and its SHA-256.

    Idempotent: a packet that is not queued (another worker has it, or it is done) is left alone. Progress and
    the outcome live on the row, which the page polls.
    """
    import hashlib
    import logging

    from django.core.files import File

    claimed = AuditPacket.objects.filter(pk=packet_id, status=AuditPacket.Status.QUEUED).update(
        status=AuditPacket.Status.BUILDING, started_at=timezone.now(), progress=1, step="Starting")
    if not claimed:
        return None
    packet = AuditPacket.objects.select_related("agency").get(pk=packet_id)
    try:
        with packet_builder.scratch_dir() as workdir:
            from pathlib import Path

            built = packet_builder.build(agency=packet.agency, start=packet.period_start_on,
                                         end=packet.period_end_on, generated_at=packet.started_at,
                                         workdir=Path(workdir), progress=_progress(packet.pk))
            digest = hashlib.sha256()
            with built.path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
                handle.seek(0)
                packet.file.save(packet.filename, File(handle), save=False)
            packet.sha256 = digest.hexdigest()
            packet.size_bytes = built.path.stat().st_size
            packet.pages = built.pages
            if report is not None:
                report(built)
    except Exception as error:  # the page must show the failure; the worker log has the traceback
        logging.getLogger(__name__).exception("audit packet %s failed", packet_id)
        AuditPacket.objects.filter(pk=packet_id).update(status=AuditPacket.Status.FAILED, error=str(error)[:2000],
                                                        step="Failed", finished_at=timezone.now())
        packet.refresh_from_db()
        return packet
    packet.status = AuditPacket.Status.DONE
    packet.progress = 100
    packet.step = "Ready"
    packet.finished_at = timezone.now()
    packet.save(update_fields=["file", "sha256", "size_bytes", "pages", "status", "progress", "step", "finished_at"])
    return packet


def export_investigation(*, person, actor, roles: frozenset[str], request=None) -> bytes:
    """Render one person's complete record as a PDF and log the export in the security log (R-SEC-5)."""

    context = investigation_context(person=person, roles=roles, is_superuser=getattr(actor, "is_superuser", False))
    pdf = render_pdf("pdf/audit/investigation.html", context)
    # the record holds the person's background checks (dates and outcomes): logged as a background read (R-BG-4)
    security_log.record_background_read(
        actor=actor, request=request, agency=person.agency, view="investigation_export",
        what=f"background checks of {person} (person {person.pk}) in the investigation record",
        action="investigation_export", person_id=person.pk, checks=len(context["checks"]), bytes=len(pdf))
    return pdf


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): R-AU-1's rule row and the waiting-packets tick."""
    ensure_rule_rows(AUDIT_RULES, using=using)
    ensure_periodic_tasks(SCHEDULES, using=using)
