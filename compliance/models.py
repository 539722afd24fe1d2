"""The rule table: every number the engine uses, editable by an administrator (RULES.md)."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .engine import Rule


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
        )
