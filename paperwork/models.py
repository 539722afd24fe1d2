"""Documents the agency hands a person, an auditor or OSP: certificates and transcripts (issue 21).

An issued document is a record: what it said is kept as a snapshot (``content``) with the records it came
from, so downloading it again prints the same page and its verification code says who issued it, when and
from which records. Never deleted.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from people.scoping import AGENCY_AUDITOR, LEDS_REPRESENTATIVE, STATE_AUDITOR, AgencyQuerySet, Scoping

# the LEDS Representative issues; auditors read (the LASO's part of the paperwork is the account steps)
DOCUMENT_READERS = frozenset({LEDS_REPRESENTATIVE, AGENCY_AUDITOR})


class IssuedDocument(models.Model):
    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", "Certificate of LEDS certification"
        TRANSCRIPT = "transcript", "Training transcript"

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="issued_documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField("verification code", max_length=20, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    issued_by_name = models.CharField(max_length=200)
    certification_class = models.ForeignKey("certification.CertificationClass", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+",
                                            help_text="The class whose roster it was issued for, in bulk.")
    content = models.JSONField(help_text="What the document says, as issued, and the records it came from.")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, agency_roles=DOCUMENT_READERS, person_roles=frozenset(),
                      state_roles=frozenset({STATE_AUDITOR}))

    class Meta:
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["person", "kind", "issued_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.code}"
