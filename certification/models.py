"""Certification levels and results, training guides, security awareness, incidents (R-CE-1..5, R-SA-1..2)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from common.models import VoidableRecord
from people.scoping import AgencyQuerySet, Scoping

PERSON_RECORD = Scoping(agency="person__agency", person="person")


class CertificationLevel(models.Model):
    """R-CE-1: a lookup table the agency edits (defaults: Inquiry, Less Than Full Access, Full Access)."""

    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class CertificationResult(VoidableRecord):
    """A LEDS certification pass (nexTEST: date, level, score). Restarts the 24-month clock (R-CE-3, R-CE-4)."""

    class Source(models.TextChoices):
        NEXTEST = "nextest", "nexTEST"
        CLASS = "class", "In-house class"
        IMPORT = "import", "Records import"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="certifications")
    passed_on = models.DateField()
    level = models.ForeignKey(CertificationLevel, on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.NEXTEST)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = PERSON_RECORD

    class Meta:
        ordering = ["-passed_on"]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=100), name="certification_score_0_100")]

    def __str__(self):
        return f"{self.level} passed {self.passed_on:%Y-%m-%d}"


class TrainingGuideIssue(VoidableRecord):
    """R-CE-2: the LEDS Training Guide, issued within 10 days and completed within 60 days of issue."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="training_guides")
    issued_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = PERSON_RECORD

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(completed_on__gte=models.F("issued_on")),
                name="training_guide_completed_after_issue",
            )
        ]

    def __str__(self):
        return f"Training guide issued {self.issued_on:%Y-%m-%d}"


class SecurityAwarenessCompletion(VoidableRecord):
    """R-SA-1: security awareness training at the person's role tier, every 12 months."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="security_awareness")
    completed_on = models.DateField()
    tier = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = PERSON_RECORD

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self):
        return f"Security awareness (tier {self.tier}) {self.completed_on:%Y-%m-%d}"


class SecurityIncident(VoidableRecord):
    """R-SA-1: a security incident; each person involved owes retraining within 30 days."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="security_incidents")
    occurred_on = models.DateField()
    summary = models.CharField(max_length=300, help_text="What happened, briefly (no criminal-history text).")
    people = models.ManyToManyField("people.Person", related_name="security_incidents")
    history = HistoricalRecords(m2m_fields=[people])

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person="people")

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self):
        return f"Incident {self.occurred_on:%Y-%m-%d}: {self.summary}"
