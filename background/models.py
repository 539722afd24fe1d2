"""Fingerprint-based background checks (R-FP-1; adjudication and accounts join in a later issue)."""

from django.db import models
from simple_history.models import HistoricalRecords

from common.models import VoidableRecord
from people.scoping import AGENCY_AUDITOR, LASO, LEDS_REPRESENTATIVE, AgencyQuerySet, Scoping


class FingerprintCheck(VoidableRecord):
    """A fingerprint-based check: R-FP-1 reads ``submitted_on`` (within 30 days of assignment)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="fingerprint_checks")
    taken_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField()
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    # R-BG-4: background records are read by the LASO, the LEDS Representative and auditors only
    scoping = Scoping(
        agency="person__agency", person="person",
        agency_roles=frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR}), person_roles=frozenset(),
    )

    class Meta:
        ordering = ["-submitted_on"]

    def __str__(self):
        return f"Fingerprints submitted {self.submitted_on:%Y-%m-%d}"
