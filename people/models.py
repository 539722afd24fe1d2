"""Agencies, people and the memberships that give users their roles (R-AG-1, R-PE-1)."""

import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .scoping import ALL_ROLES, LASO, LEDS_REPRESENTATIVE, STATE_ROLES, AgencyQuerySet, Scoping

ORI_VALIDATOR = RegexValidator(
    regex=r"^[A-Z]{2}[A-Z0-9]{7}\Z",
    message="An ORI is 9 characters: 2 letters (the state) and 7 letters or digits, e.g. OR0340400.",
    code="invalid_ori",
)

# Oregon agencies keep Pacific time, except those east of the Cascades on Mountain time (Malheur County).
TIME_ZONE_CHOICES = [
    ("America/Los_Angeles", "Pacific (America/Los_Angeles)"),
    ("America/Boise", "Mountain (America/Boise)"),
    ("America/Denver", "Mountain (America/Denver)"),
    ("America/Phoenix", "Arizona (America/Phoenix)"),
    ("America/Chicago", "Central (America/Chicago)"),
    ("America/New_York", "Eastern (America/New_York)"),
    ("America/Anchorage", "Alaska (America/Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Pacific/Honolulu)"),
]


class Agency(models.Model):
    """A criminal-justice agency with LEDS access, known by its ORI (R-AG-1)."""

    ori = models.CharField("ORI", max_length=9, unique=True, validators=[ORI_VALIDATOR])
    name = models.CharField(max_length=200)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="America/Los_Angeles")
    agency_head = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The agency head who signs agreements.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="", person=None, person_roles=ALL_ROLES, state_roles=STATE_ROLES)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ori__regex=r"^[A-Z]{2}[A-Z0-9]{7}$"), name="agency_ori_format"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.ori})"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Person(models.Model):
    """Somebody whose LEDS/CJI access the agency manages (R-PE-1). No criminal-history text, ever."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        SEPARATED = "separated", "Separated"

    class Tier(models.IntegerChoices):
        PHYSICAL = 1, "1 — physical access only"
        GENERAL = 2, "2 — general user"
        PRIVILEGED = 3, "3 — privileged user"
        SECURITY = 4, "4 — security responsibilities"

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="people")
    employee_id = models.CharField("employee ID", max_length=32)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    position = models.CharField(max_length=120, blank=True)
    supervisor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    assigned_on = models.DateField(
        "assignment date", help_text="The day the person was assigned duties needing LEDS/CJI access."
    )
    role_tier = models.PositiveSmallIntegerField(
        "security role tier",
        choices=Tier.choices,
        default=Tier.GENERAL,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    separated_at = models.DateTimeField("separation date and time", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person="")

    class Meta:
        ordering = ["last_name", "first_name", "employee_id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["agency", "employee_id"], name="person_employee_id_unique_in_agency"),
            models.CheckConstraint(condition=models.Q(role_tier__gte=1, role_tier__lte=4), name="person_tier_1_4"),
            models.CheckConstraint(
                condition=~models.Q(status="separated") | models.Q(separated_at__isnull=False),
                name="person_separated_has_time",
            ),
        ]
        indexes = [models.Index(fields=["agency", "last_name", "first_name"])]

    def __str__(self):
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_separated(self) -> bool:
        return self.status == self.Status.SEPARATED


class Membership(models.Model):
    """A user's role in an agency. A user may hold several (small agencies combine LEDS Rep and LASO)."""

    class Role(models.TextChoices):
        LEDS_REPRESENTATIVE = "leds_rep", "LEDS Representative"
        LASO = "laso", "LASO"
        SUPERVISOR = "supervisor", "Supervisor"
        EMPLOYEE = "employee", "Employee"
        AGENCY_AUDITOR = "agency_auditor", "Agency auditor"
        STATE_AUDITOR = "state_auditor", "State auditor"
        STATE_TRAINING_UNIT = "training_unit", "State training unit"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=24, choices=Role.choices)
    is_alternate = models.BooleanField(
        default=False, help_text="For a LEDS Representative: the alternate rather than the primary."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, person_roles=ALL_ROLES)

    class Meta:
        ordering = ["agency", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        label = self.get_role_display()
        if self.role == self.Role.LEDS_REPRESENTATIVE and self.is_alternate:
            label += " (alternate)"
        return f"{self.user} — {label} at {self.agency.ori}"


class ColumnMapping(models.Model):
    """How an agency's own export names our import columns ("Emp #" → employee_id), saved once per import kind
    so next month's file goes straight to the preview (issue 21). Keys are the file's headers, folded to lower
    case with single spaces; values are our column names."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="column_mappings")
    kind = models.CharField("import", max_length=40, help_text='e.g. "roster", "records", "state_accounts".')
    name = models.CharField(max_length=80, default="default")
    columns = models.JSONField(default=dict)
    constants = models.JSONField(default=dict, blank=True,
                                 help_text='Our columns the file lacks, with one value for every row, e.g. '
                                           '{"record": "certification"} for a nexTEST results export.')
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, person_roles=frozenset())

    class Meta:
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "name"], name="one_mapping_per_name")]

    def __str__(self):
        return f"{self.kind} mapping {self.name!r} of {self.agency_id}"


class ImportJob(models.Model):
    """A large upload of the one import flow (common/imports.py), parsed and planned — and, once confirmed,
    applied — by a Celery worker (issue 17). It holds the file for the uploading user in the agency they acted in;
    its progress, the plan to preview and any error live on this row, never only in the broker. A day later the
    row is removed (``purge_import_jobs``), so uploads do not pile up."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        PLANNING = "planning", "Reading the file"
        PLANNED = "planned", "Ready to preview"
        CONFIRMED = "confirmed", "Confirmed, waiting for a worker"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Failed"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("import", max_length=40)
    filename = models.CharField(max_length=255)
    data = models.BinaryField(help_text="The file as uploaded (at most 10 MB).")
    options = models.JSONField(default=dict, blank=True)
    columns = models.JSONField(default=dict, blank=True, help_text="The column mapping to apply, if any.")
    constants = models.JSONField(default=dict, blank=True)
    mapping = models.CharField(max_length=80, blank=True, help_text="The name of the mapping used, for the preview.")
    original = models.CharField(max_length=64, blank=True, help_text="The kept upload, for mapping it differently.")
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    plan = models.BinaryField(null=True, blank=True, help_text="The plan as previewed (its long lists cut short).")
    error = models.TextField(blank=True)
    message = models.CharField(max_length=500, blank=True, help_text="What the import did, once applied.")
    next_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, agency_roles=frozenset({LEDS_REPRESENTATIVE, LASO}),
                      person_roles=frozenset(), state_roles=frozenset())

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="import_job_created")]

    def __str__(self):
        return f"{self.kind} import of {self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.PLANNING, self.Status.CONFIRMED, self.Status.APPLYING)
