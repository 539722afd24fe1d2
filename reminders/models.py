"""When the sweep and the digest last ran for an agency (issue 9).

Beat wakes the sweep every hour; each agency is swept once its own clock passes the reminder hour, once per
local day. This row records that day, so a beat that was down at that hour catches up on its next tick, and the
hourly ticks after it cost one query.
"""

from django.db import models

from common.dates import in_words


class SweepRun(models.Model):
    class Kind(models.TextChoices):
        REMINDERS = "reminders", "Daily reminders"
        DIGEST = "digest", "Weekly digest"

    agency = models.ForeignKey("people.Agency", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    day = models.DateField(help_text="The agency's local date of the run.")
    queued = models.PositiveIntegerField(default=0)
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "day"], name="one_sweep_run_per_day")]

    def __str__(self):
        return f"{self.get_kind_display()} for agency {self.agency_id} on {in_words(self.day)}: {self.queued} queued"
