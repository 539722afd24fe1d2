"""The agency's agreements register (R-AGR-1, R-AGR-2, R-VA-5).

An agreement has parties (with ORIs; holder-of-record parties feed the validation-list import, R-VA-5),
signatories (linked to the agency's people, so a signing official's separation is noticed: R-AGR-2), annual
reviews (R-AGR-2) and the signed document, stored under MEDIA_ROOT and served only through a scoped view.
"""

import uuid

from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import in_words
from common.models import VoidableRecord
from people.models import ORI_VALIDATOR
from people.scoping import AgencyQuerySet, Scoping


def _document_path(instance, filename: str) -> str:
    """Uploads live outside any public URL; the stored name never reuses the uploader's file name."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"agreements/{instance.agency.ori}/{uuid.uuid4().hex}.{suffix}"


class Agreement(VoidableRecord):
    class Kind(models.TextChoices):
        """R-AGR-1."""

        LEDS_USER = "leds_user", "LEDS User Agreement"
        MANAGEMENT_CONTROL = "management_control", "Management Control Agreement"
        SECURITY_ADDENDUM = "security_addendum", "CJIS Security Addendum"
        HOLDER_OF_RECORD = "holder_of_record", "Holder-of-record agreement"
        INTERAGENCY = "interagency", "Interagency agreement"

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    effective_on = models.DateField()
    ends_on = models.DateField("ends on", null=True, blank=True, help_text="Leave empty while it runs on.")
    document = models.FileField("signed document", upload_to=_document_path, blank=True, max_length=200)
    document_name = models.CharField("document file name", max_length=200, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency")  # agency-level data: every member of the agency may read it

    class Meta:
        ordering = ["kind", "-effective_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("effective_on")),
                name="agreement_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class AgreementParty(models.Model):
    """Another party to an agreement, with its ORI where it has one (R-AGR-1).

    For a holder-of-record agreement the party is the agency that enters records for us (R-VA-5).
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="parties")
    name = models.CharField(max_length=200)
    ori = models.CharField("ORI", max_length=9, blank=True, validators=[ORI_VALIDATOR])
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agreement__agency")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.ori})" if self.ori else self.name


class AgreementSignatory(VoidableRecord):
    """Who signed an agreement and when (R-AGR-2).

    The agency's own signatories are linked to a person, so their separation starts the 30-day re-sign
    countdown when ``is_signing_official``; another party's signatory is kept by name only.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatories")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="agreement_signatures",
                               help_text="One of the agency's people; leave empty for another party's signatory.")
    name = models.CharField(max_length=200, blank=True, help_text="Needed when no person is chosen.")
    signer_title = models.CharField("title", max_length=120, blank=True)
    signed_on = models.DateField()
    is_signing_official = models.BooleanField(
        "signing official", default=True,
        help_text="The agency's signing official: if they leave, the agreement must be re-signed within 30 days.",
    )
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agreement__agency")

    class Meta:
        ordering = ["-signed_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(person__isnull=False) | ~models.Q(name=""),
                                   name="signatory_is_person_or_named"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or f"person #{self.person_id}"


class AgreementReview(VoidableRecord):
    """One annual review of an agreement (R-AGR-2)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agreement__agency")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"Reviewed {in_words(self.reviewed_on)}"
