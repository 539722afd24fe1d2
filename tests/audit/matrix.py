import datetime

from django.urls import reverse

from audit.models import Audit, AuditPacket, Finding
from tests.matrix import AGENCY_READERS, LEDS_REP, Row


def _audit(w):
    return Audit.objects.create(agency=w.agency, audited_on=datetime.date(2024, 5, 14))


def _finding(w):
    return Finding.objects.create(audit=_audit(w), summary="Terminal left unlocked")


ROWS = {
    # audits and findings: the agency-wide roles and the state auditor read; the LEDS Representative records
    "audit:list": Row(lambda w: reverse("audit:list"), ok=AGENCY_READERS, foreign=200),
    "audit:create": Row(lambda w: reverse("audit:create"), ok=LEDS_REP, foreign=200),
    "audit:detail": Row(lambda w: reverse("audit:detail", args=[_audit(w).pk]), ok=AGENCY_READERS),
    # an empty form: the page comes back with the errors (400)
    "audit:finding_add": Row(lambda w: reverse("audit:finding_add", args=[_audit(w).pk]), ok=LEDS_REP,
                             ok_status=400, method="post"),
    "audit:void": Row(lambda w: reverse("audit:void", args=[_audit(w).pk]), ok=LEDS_REP, ok_status=400,
                      method="post"),
    "audit:finding_complete": Row(lambda w: reverse("audit:finding_complete", args=[_finding(w).pk]), ok=LEDS_REP,
                                  ok_status=400, method="post"),
}


def _packet(w, **fields):
    from django.core.files.base import ContentFile

    packet = AuditPacket.objects.create(agency=w.agency, period_start_on=datetime.date(2024, 5, 14),
                                        period_end_on=datetime.date(2026, 11, 1), **fields)
    if fields.get("status") == AuditPacket.Status.DONE:
        packet.file.save("packet.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return packet


def _done(w):
    return _packet(w, status=AuditPacket.Status.DONE, progress=100, sha256="0" * 64, pages=1)


# packets: the agency-wide roles and the state auditor build and download them (R-AU-1); supervisors, employees
# and the training unit may not (the packet holds background-check outcomes)
ROWS.update({
    "audit:packets": Row(lambda w: reverse("audit:packets"), ok=AGENCY_READERS, foreign=200),
    # an empty form: the page comes back with the errors (400); nothing is queued
    "audit:packet_build": Row(lambda w: reverse("audit:packet_build"), ok=AGENCY_READERS, ok_status=400,
                              method="post", foreign=400),
    "audit:packet_detail": Row(lambda w: reverse("audit:packet_detail", args=[_packet(w).pk]), ok=AGENCY_READERS),
    "audit:packet_progress": Row(lambda w: reverse("audit:packet_progress", args=[_packet(w).pk]),
                                 ok=AGENCY_READERS),
    "audit:packet_download": Row(lambda w: reverse("audit:packet_download", args=[_done(w).pk]), ok=AGENCY_READERS),
})

# the investigation export: the LEDS Representative only (every export is logged)
ROWS["audit:investigation_export"] = Row(lambda w: reverse("audit:investigation_export", args=[w.target.pk]),
                                         ok=LEDS_REP, method="post")
