"""Abstract pieces several apps' models share."""

from django.conf import settings
from django.db import models


class VoidableRecord(models.Model):
    """A compliance record is never deleted: a mistaken one is voided with a reason and stays in history."""

    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    void_reason = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
