"""The rule table: every number the engine uses, editable by an administrator (RULES.md)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import engine
from .engine import Rule
from .registry import default_guidance


def _validate_lead_days(value):
    if not isinstance(value, list) or not all(isinstance(v, int) and v >= 0 for v in value):
        raise ValidationError("Lead days are a list of whole numbers of days, e.g. [90, 60, 30, 7].")


class RuleSetting(models.Model):
    """One obligation's rule: its ID, period, reminder lead days and overdue repeat (history kept)."""

    class Unit(models.TextChoices):
        DAYS = "days", "days"
        MONTHS = "months", "months"

    obligation = models.CharField(max_length=40, unique=True)
    rule_id = models.CharField("rule ID", max_length=16)
    title = models.CharField(
        max_length=160, help_text='Shown beside every flag, e.g. "recertification every 24 months".'
    )
    period_value = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    period_unit = models.CharField(max_length=8, choices=Unit.choices, default=Unit.DAYS)
    lead_days = models.JSONField(default=list, validators=[_validate_lead_days],
                                 help_text="Reminder stages, days before the due date, e.g. [90, 60, 30, 7].")
    overdue_repeat_days = models.PositiveIntegerField(default=7, help_text="Reminders repeat this often while overdue.")
    is_enabled = models.BooleanField(
        "in force", default=True,
        help_text="Off: nobody owes this any more (e.g. R-BG-3 rescreening, which the state recommends but does not "
                  "require).")
    guidance = models.TextField(
        blank=True, max_length=600,
        help_text="What every reminder of this obligation tells its reader to do, and where (e.g. \"Take the LEDS "
                  "recertification test in nexTEST; your LEDS Representative records the pass\"). Empty: the "
                  "built-in text.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule_id", "obligation"]

    def __str__(self):
        return f"{self.rule_id} {self.obligation}"

    def as_rule(self) -> Rule:
        return Rule(
            obligation=self.obligation,
            rule_id=self.rule_id,
            title=self.title,
            period_value=self.period_value,
            period_unit=self.period_unit,
            lead_days=tuple(sorted(self.lead_days, reverse=True)),
            overdue_repeat_days=self.overdue_repeat_days,
            enabled=self.is_enabled,
            guidance=self.guidance,
        )

    @property
    def effective_guidance(self) -> str:
        """The guidance reminders carry: this row's text, or the built-in default."""

        return self.guidance or default_guidance(self.obligation)


class StoredObligation(models.Model):
    """An obligation the engine computed, stored so the dashboard reads a whole agency quickly (issue 6).

    A cache, not a record: compliance/obligations.py rewrites it for what writes marked stale (StaleMark) and
    when the day changes; nothing else writes it, and the engine still decides. Pages only read it.
    """

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="stored_obligations")
    obligation = models.CharField(max_length=40)
    rule_id = models.CharField(max_length=16)
    title = models.CharField(max_length=160)
    status = models.CharField(max_length=16)
    due = models.DateField(null=True)
    satisfied_by = models.CharField(max_length=200, blank=True)
    key = models.CharField(max_length=80, blank=True)
    suspends_access = models.BooleanField(default=False)
    is_sensitive = models.BooleanField(default=False)
    verdict = models.CharField(max_length=20)  # the person's verdict code (engine.VERDICTS, R-PE-3)
    # the rule IDs behind it, in order, each with whether it is a background reason (R-BG-4): [["R-BG-2", true]]
    verdict_reasons = models.JSONField(default=list, blank=True)
    computed_for = models.DateField()
    # the worklist's sort keys, written with the row (issue 23): who must be suspended first, then who is not yet
    # eligible (``engine.VERDICT_RANK``), then by due date and the person's name — read through an index, never
    # sorted per request. A renamed person is marked stale like any other change, so these follow.
    verdict_rank = models.PositiveSmallIntegerField(default=2)
    person_last_name = models.CharField(max_length=100, blank=True)
    person_first_name = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "obligation", "status"]),
            models.Index(fields=["agency", "verdict", "due"]),
            # the worklist (what needs doing), in the order it is shown: the first page is the index's first rows
            models.Index(fields=["agency", "verdict_rank", "due", "person_last_name", "person_first_name", "id"],
                         condition=~models.Q(status__in=["done", "not_required"]), name="stored_worklist_order"),
        ]

    def __str__(self):
        return f"{self.obligation} {self.status} (person {self.person_id})"

    def as_obligation(self) -> engine.Obligation:
        return engine.Obligation(self.obligation, self.rule_id, self.status, self.due, self.title,
                                 satisfied_by=self.satisfied_by or None, suspends_access=self.suspends_access,
                                 is_sensitive=self.is_sensitive, key=self.key)

    @property
    def label(self) -> str:
        return engine.STATUS_LABELS[self.status]

    @property
    def flag(self) -> str:
        return self.as_obligation().flag


class AgencyComputation(models.Model):
    """When an agency's stored obligations were last computed, and for which day."""

    agency = models.OneToOneField("people.Agency", on_delete=models.CASCADE, related_name="+")
    computed_for = models.DateField(null=True)
    computed_at = models.DateTimeField(null=True)
    # the agency's figures over its stored obligations, written with them (the statewide view reads 200 agencies
    # without counting 160,000 rows): people per verdict code, and overdue obligations
    verdict_counts = models.JSONField(default=dict)
    overdue_count = models.PositiveIntegerField(default=0)
    # the dashboard's figures, written in the same refresh (issue 23; null until the first refresh that writes
    # them, when the dashboard counts for itself): [[verdict, obligation, status, obligations], ...] — every
    # count of the summary and of the worklist's pages is a sum over it
    worklist_counts = models.JSONField(null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)  # the providers' figures by name (compliance/registry.py)

    def __str__(self):
        return f"agency {self.agency_id} computed for {self.computed_for}"


class StaleMark(models.Model):
    """A write the stored obligations have not caught up with yet (issue 23).

    Written in the same transaction as the change (compliance/staleness.py); the refresh task
    (compliance/obligations.py ``refresh_agency``) recomputes what the marks name and deletes them. Person
    null: the whole agency. A page that finds marks says "refreshing…"; it never recomputes.
    """

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, null=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["agency", "person"])]

    def __str__(self):
        return f"agency {self.agency_id} person {self.person_id or 'all'} stale since {self.marked_at:%H:%M:%S}"
