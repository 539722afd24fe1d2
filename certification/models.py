"""Certification levels and results, training guides, security awareness, incidents (R-CE-1..5, R-SA-1..2)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import in_words
from common.models import VoidableRecord
from people.scoping import AGENCY_AUDITOR, LASO, LEDS_REPRESENTATIVE, STATE_AUDITOR, AgencyQuerySet, Scoping

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
        return f"{self.level} passed {in_words(self.passed_on)}"


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
        return f"Training guide issued {in_words(self.issued_on)}"


class TrainingGuideCompletion(VoidableRecord):
    """A further completion of a training guide that was already completed (a spreadsheet may hold several).

    The guide's ``completed_on`` is its first completion, the one R-CE-2 counts; every later one is kept here,
    so a record a file holds is never overwritten and re-importing the file changes nothing.
    """

    guide = models.ForeignKey(TrainingGuideIssue, on_delete=models.PROTECT, related_name="further_completions")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = PERSON_RECORD

    class Meta:
        ordering = ["-completed_on"]

    def __str__(self):
        return f"Training guide completed again {in_words(self.completed_on)}"


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
        return f"Security awareness (tier {self.tier}) {in_words(self.completed_on)}"


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
        return f"Incident {in_words(self.occurred_on)}: {self.summary}"


# Scoping of in-house classes: the agency's LEDS Representative, LASO and auditors read the class pages; a
# supervisor or employee sees only enrollments (their own, their people's) on the person page (R-CE-5).
CLASS_READERS = frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR})


class CertificationClass(models.Model):
    """R-CE-5: an in-house LEDS certification class run by the LEDS Representative."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="certification_classes")
    held_on = models.DateField("date")
    start_time = models.TimeField("starts", help_text="Local time in the agency's time zone.")
    end_time = models.TimeField("ends")
    location = models.CharField(max_length=200)
    instructor = models.CharField(max_length=120)
    capacity = models.PositiveIntegerField(help_text="Seats in the room; the roster never grows beyond them.")
    level = models.ForeignKey(CertificationLevel, on_delete=models.PROTECT, related_name="+",
                              verbose_name="certification level taught")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # a class called off stays, with its roster, for the record: cancelled, never deleted
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    cancel_reason = models.CharField("why it was cancelled", max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, agency_roles=CLASS_READERS, person_roles=frozenset(),
                      state_roles=frozenset({STATE_AUDITOR}))

    class Meta:
        ordering = ["-held_on", "-start_time", "-pk"]
        verbose_name_plural = "certification classes"
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="certification_class_has_a_seat"),
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")),
                                   name="certification_class_ends_after_start"),
            models.CheckConstraint(condition=models.Q(cancelled_at__isnull=True) | ~models.Q(cancel_reason=""),
                                   name="certification_class_cancelled_with_a_reason"),
        ]

    def __str__(self):
        return f"{self.level} class {in_words(self.held_on)} ({self.location})"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Enrollment(models.Model):
    """A person on a class roster: attendance, result, and whether a pass was recorded in LEDS (R-CE-5).

    Never deleted: a person taken off the roster is withdrawn (``withdrawn_at``) and stays in history.
    """

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        ABSENT = "absent", "Absent"

    class Result(models.TextChoices):
        PASSED = "pass", "Pass"
        FAILED = "fail", "Fail"

    certification_class = models.ForeignKey(CertificationClass, on_delete=models.PROTECT,
                                            related_name="enrollments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="class_enrollments")
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True)
    result = models.CharField(max_length=4, choices=Result.choices, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    passed_level = models.ForeignKey(CertificationLevel, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # the certification record a pass became (R-CE-4: it restarts the recertification clock)
    certification = models.OneToOneField(CertificationResult, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="class_enrollment")
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    result_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    is_recorded_in_leds = models.BooleanField("recorded in LEDS", default=False)
    recorded_in_leds_at = models.DateTimeField(null=True, blank=True)
    recorded_in_leds_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = PERSON_RECORD

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        constraints = [
            # one place per person and class; a withdrawn one may be followed by a new one
            models.UniqueConstraint(fields=["certification_class", "person"], condition=models.Q(withdrawn_at=None),
                                    name="one_enrollment_per_person_and_class"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="enrollment_score_0_100"),
            models.CheckConstraint(condition=models.Q(result="") | models.Q(attendance="attended"),
                                   name="enrollment_result_needs_attendance"),
            models.CheckConstraint(condition=~models.Q(result="pass") | models.Q(passed_level__isnull=False),
                                   name="enrollment_pass_has_level"),
            models.CheckConstraint(condition=models.Q(is_recorded_in_leds=False) | models.Q(result="pass"),
                                   name="enrollment_only_a_pass_is_recorded_in_leds"),
        ]

    def __str__(self):
        return f"{self.person} — {self.certification_class}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_pass(self) -> bool:
        return self.result == self.Result.PASSED
