"""Validations of LEDS/NCIC entries (R-VA-1..5): record types, monthly cycles, entries, contacts, register.

The state sends a monthly validation list (a ``ValidationCycle`` of ``ValidationEntry`` rows); validators
review each entry against the case file, log their contacts and record an outcome; the LEDS Representative
certifies the cycle before the due date (R-VA-3). The agency's own ``RegisteredEntry`` register says when each
record is next due (R-VA-2). Nothing here is deleted: contacts are voided with a reason, a certified cycle is
corrected only by a logged ``CycleAmendment``.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import in_words
from common.models import VoidableRecord
from people.models import ORI_VALIDATOR
from people.scoping import AgencyQuerySet, Scoping

NIC_VALIDATOR = RegexValidator(
    regex=r"^[A-Z][0-9]{9}\Z",
    message="A NIC is one letter and nine digits, e.g. W123456789.",
    code="invalid_nic",
)
MKE_VALIDATOR = RegexValidator(regex=r"^[A-Z]{1,4}\Z", message="An MKE is 1 to 4 capital letters, e.g. EW.",
                               code="invalid_mke")

# Cycles, the register and the procedure: the agency-wide roles and the state auditor read them; supervisors
# and employees see nothing of them (a validator reaches their own entries through ValidationEntry).
AGENCY_ONLY = {"person_roles": frozenset()}


class RecordType(models.Model):
    """The MKE → record type lookup (R-VA-1, R-VA-2, R-VA-4); editable by an administrator, seeded by migration."""

    mke = models.CharField("MKE", max_length=4, unique=True, validators=[MKE_VALIDATOR])
    name = models.CharField(max_length=80)
    is_person_record = models.BooleanField(
        default=False, help_text="Person records are revalidated every 12 months; property records only once (R-VA-2)."
    )
    is_contact_required = models.BooleanField(
        default=False,
        help_text="Validating needs a contact with the complainant, victim, prosecutor or court (R-VA-4).",
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["mke"]

    def __str__(self):
        return f"{self.mke} — {self.name}"


class ValidationCycle(models.Model):
    """One monthly validation list from the state and its signed certification (R-VA-3)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="validation_cycles")
    received_on = models.DateField(help_text="The day the state's list was received.")
    due_on = models.DateField(help_text="The certification is due back to the state by this day (R-VA-3).")
    source_filename = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    certified_name = models.CharField("typed name", max_length=120, blank=True)
    certified_title = models.CharField("title", max_length=120, blank=True)
    certified_on = models.DateField("date signed", null=True, blank=True)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    certified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", **AGENCY_ONLY)

    class Meta:
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "received_on"], name="one_validation_list_per_day"),
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("received_on")),
                                   name="validation_cycle_due_after_receipt"),
            models.CheckConstraint(
                condition=models.Q(certified_at__isnull=True)
                | (~models.Q(certified_name="") & ~models.Q(certified_title="") & models.Q(certified_on__isnull=False)),
                name="validation_cycle_certification_complete",
            ),
        ]

    def __str__(self):
        return f"Validation list received {in_words(self.received_on)}"

    @property
    def is_certified(self) -> bool:
        return self.certified_at is not None


class RegisteredEntry(models.Model):
    """The agency's own register of its LEDS/NCIC entries (R-VA-1, R-VA-2, R-VA-5), matched to lists by NIC."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="registered_entries")
    nic = models.CharField("NIC", max_length=10, validators=[NIC_VALIDATOR])
    ori = models.CharField("ORI", max_length=9, validators=[ORI_VALIDATOR])
    oca = models.CharField("OCA", max_length=20, blank=True)
    record_type = models.ForeignKey(RecordType, on_delete=models.PROTECT, related_name="+")
    dte = models.DateField("DTE", help_text="The date the record was entered.")
    subject = models.CharField(max_length=200, help_text="The subject, or a summary of the property.")
    operator = models.CharField(max_length=60, blank=True, help_text="The operator who entered the record.")
    last_validated_on = models.DateField(null=True, blank=True)
    next_due_on = models.DateField(null=True, blank=True, help_text="Empty when no further validation is due.")
    cancelled_on = models.DateField(null=True, blank=True, help_text="The record was removed from LEDS.")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", **AGENCY_ONLY)

    class Meta:
        ordering = [models.F("next_due_on").asc(nulls_last=True), "nic"]
        constraints = [models.UniqueConstraint(fields=["agency", "nic"], name="registered_entry_nic_unique")]
        indexes = [models.Index(fields=["agency", "next_due_on"])]
        verbose_name_plural = "registered entries"

    def __str__(self):
        return f"{self.nic} ({self.record_type.mke if self.record_type_id else '?'})"


class ValidationEntry(models.Model):
    """One entry of a monthly list: what the state sent (R-VA-1) and what the validator found (R-VA-4)."""

    class Outcome(models.TextChoices):
        VALIDATED = "validated", "Validated unchanged"
        MODIFIED = "modified", "Modified"
        CANCELLED = "cancelled", "Cancelled (removed from LEDS)"
        RETAINED = "retained", "Retained on best information after failed contact"

    cycle = models.ForeignKey(ValidationCycle, on_delete=models.PROTECT, related_name="entries")
    registered_entry = models.ForeignKey(RegisteredEntry, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="list_entries")
    line = models.PositiveIntegerField(help_text="The line of the state's file.")
    nic = models.CharField("NIC", max_length=10, validators=[NIC_VALIDATOR])
    ori = models.CharField("ORI", max_length=9, validators=[ORI_VALIDATOR])
    oca = models.CharField("OCA", max_length=20, blank=True)
    mke = models.CharField("MKE", max_length=4)
    record_type = models.ForeignKey(RecordType, on_delete=models.PROTECT, related_name="+")
    dte = models.DateField("DTE")
    subject = models.CharField(max_length=200)
    operator = models.CharField(max_length=60, blank=True)
    validator = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="validation_entries")
    assigned_at = models.DateTimeField(null=True, blank=True)
    is_reviewed_against_case_file = models.BooleanField("reviewed against the case file", default=False)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(
        blank=True, help_text="What changed (modified), or why the record is retained (retained)."
    )
    outcome_on = models.DateField(null=True, blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    # supervisors and employees reach only entries assigned to people they may see; views narrow it to their own
    scoping = Scoping(agency="cycle__agency", person="validator")

    class Meta:
        ordering = ["line", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "nic"], name="validation_entry_nic_once_per_list"),
            models.CheckConstraint(
                condition=models.Q(outcome="") | (models.Q(outcome_on__isnull=False)
                                                  & models.Q(is_reviewed_against_case_file=True)),
                name="validation_entry_outcome_after_review",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome__in=["modified", "retained"]) | ~models.Q(outcome_detail=""),
                name="validation_entry_outcome_detail",
            ),
        ]
        indexes = [
            models.Index(fields=["validator", "cycle", "line"]),
            models.Index(fields=["cycle", "line", "id"], name="validation_entry_list_order"),  # a list's pages
            models.Index(fields=["cycle", "outcome"]),
        ]
        verbose_name_plural = "validation entries"

    def __str__(self):
        return f"{self.nic} ({self.mke})"

    @property
    def has_outcome(self) -> bool:
        return bool(self.outcome)


class ContactLog(VoidableRecord):
    """A contact made to validate an entry: who, how, when, what came of it (R-VA-4)."""

    class Method(models.TextChoices):
        PHONE = "phone", "Telephone"
        EMAIL = "email", "E-mail"
        IN_PERSON = "in_person", "In person"
        LETTER = "letter", "Letter"
        OTHER = "other", "Other"

    entry = models.ForeignKey(ValidationEntry, on_delete=models.PROTECT, related_name="contacts")
    contacted_on = models.DateField("date")
    who = models.CharField(max_length=160, help_text="The complainant, victim, prosecutor or court contacted.")
    method = models.CharField(max_length=12, choices=Method.choices)
    result = models.CharField(max_length=300, help_text="What came of it, e.g. 'confirmed still wanted', 'no answer'.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="entry__cycle__agency", person="entry__validator")

    class Meta:
        ordering = ["contacted_on", "pk"]

    def __str__(self):
        return f"{self.get_method_display()} with {self.who} on {in_words(self.contacted_on)}"


class CycleAmendment(models.Model):
    """A correction to a certified cycle, logged (R-VA-3): the certification stands, the amendment is added."""

    cycle = models.ForeignKey(ValidationCycle, on_delete=models.PROTECT, related_name="amendments")
    entry = models.ForeignKey(ValidationEntry, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="amendments")
    reason = models.CharField(max_length=300)
    changes = models.TextField(help_text="What changed, from what to what.")
    amended_on = models.DateField()
    amended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="cycle__agency", **AGENCY_ONLY)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"Amendment of {self.cycle} on {in_words(self.amended_on)}"


def _procedure_path(instance, filename):
    return f"validations/procedures/{instance.agency_id}/{filename}"


class ProcedureDocument(VoidableRecord):
    """The agency's written validation procedure, kept on file for audits (R-VA-4). Served only by a scoped view."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="validation_procedures")
    title = models.CharField(max_length=200, default="Validation procedure")
    version = models.CharField(max_length=20)
    effective_on = models.DateField()
    document = models.FileField(upload_to=_procedure_path, max_length=300)
    original_filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", **AGENCY_ONLY)

    class Meta:
        ordering = ["-effective_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "version"], condition=models.Q(voided_at__isnull=True),
                                               name="procedure_version_unique")]

    def __str__(self):
        return f"{self.title}, version {self.version} (effective {in_words(self.effective_on)})"
