"""Audits and their findings (R-AU-1), and the audit packets built for them (R-AU-1, R-AU-2)."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import in_words
from common.models import VoidableRecord
from people.scoping import AGENCY_AUDITOR, LASO, LEDS_REPRESENTATIVE, AgencyQuerySet, Scoping

# audits, findings and packets are read by the agency-wide roles and the state auditor, not by every member
AUDIT_READERS = frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR})


class Audit(VoidableRecord):
    """A state (OSP) or FBI audit of the agency; the next state audit falls due 3 years later (R-AU-1)."""

    class Auditor(models.TextChoices):
        OSP = "osp", "Oregon State Police (OSP)"
        FBI = "fbi", "FBI CJIS Audit Unit"

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="audits")
    audited_on = models.DateField("audit date")
    auditor = models.CharField("audited by", max_length=8, choices=Auditor.choices, default=Auditor.OSP)
    auditor_name = models.CharField("lead auditor", max_length=120, blank=True)
    summary = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", agency_roles=AUDIT_READERS, person_roles=frozenset())

    class Meta:
        ordering = ["-audited_on", "-pk"]

    def __str__(self):
        return f"{self.get_auditor_display()} audit, {in_words(self.audited_on)}"


class Finding(VoidableRecord):
    """One finding of an audit with its corrective action, due date and completion (R-AU-1)."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    summary = models.TextField("finding")
    requirement = models.CharField(max_length=120, blank=True, help_text="e.g. CJIS Security Policy 5.6.2.1")
    corrective_action = models.TextField(blank=True)
    due_on = models.DateField("corrective action due", null=True, blank=True)
    completed_on = models.DateField("corrective action completed", null=True, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="audit__agency", agency_roles=AUDIT_READERS, person_roles=frozenset())

    class Meta:
        ordering = ["audit", "pk"]

    def __str__(self):
        return self.summary[:80]

    @property
    def is_open(self) -> bool:
        return self.completed_on is None


def _packet_path(instance, filename: str) -> str:
    return f"audit_packets/{instance.agency.ori}/{uuid.uuid4().hex}.pdf"


class AuditPacket(models.Model):
    """A packet as built: who asked, when, for which period, and the SHA-256 of the file (kept, R-AU-1).

    The build runs in Celery; its progress lives on this row, never only in the broker.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        BUILDING = "building", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="audit_packets")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    period_start_on = models.DateField("period from")
    period_end_on = models.DateField("period to")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=_packet_path, blank=True, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", agency_roles=AUDIT_READERS, person_roles=frozenset())

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end_on__gte=models.F("period_start_on")),
                                   name="packet_period_in_order"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="packet_progress_percent"),
        ]

    def __str__(self):
        return f"Audit packet {self.agency.ori} {in_words(self.period_start_on)} to {in_words(self.period_end_on)}"

    @property
    def filename(self) -> str:
        return (f"audit-packet-{self.agency.ori}-{self.period_start_on:%Y%m%d}-{self.period_end_on:%Y%m%d}"
                f"-{self.pk}.pdf")
