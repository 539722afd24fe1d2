"""Documents the agency hands a person, an auditor or OSP: certificates and transcripts (issue 21).

An issued document is a record: what it said is kept as a snapshot (``content``) with the records it came
from, so downloading it again prints the same page and its verification code says who issued it, when and
from which records. Never deleted.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from people.scoping import AGENCY_AUDITOR, LASO, LEDS_REPRESENTATIVE, STATE_AUDITOR, AgencyQuerySet, Scoping

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


# Account requests to OSP (R-AC-1, R-AC-2): the LEDS Representative and the LASO produce and answer them;
# auditors read.
REQUEST_READERS = frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR})


class RequestBatch(models.Model):
    """Account requests sent to OSP together: one PDF letter per state system, and the same as CSV."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    number = models.CharField("batch number", max_length=32, unique=True)
    sent_on = models.DateField("sent to OSP on")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    signatory = models.CharField("LEDS Representative", max_length=200,
                                 help_text="The name in the letter's signature block.")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, agency_roles=REQUEST_READERS, person_roles=frozenset(),
                      state_roles=frozenset({STATE_AUDITOR}))

    class Meta:
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"OSP request batch {self.number}"


class AccountRequest(models.Model):
    """One line of a batch: a person's account, what OSP is asked to do, and OSP's answer."""

    class Action(models.TextChoices):
        CREATE = "create", "Create account"
        TERMINATE = "terminate", "Terminate account"

    class Outcome(models.TextChoices):
        DONE = "done", "Done"
        REJECTED = "rejected", "Rejected"

    batch = models.ForeignKey(RequestBatch, on_delete=models.PROTECT, related_name="requests")
    account = models.ForeignKey("state_access.StateAccount", on_delete=models.PROTECT, related_name="osp_requests")
    action = models.CharField(max_length=12, choices=Action.choices)
    # what the letter said, as sent
    person_name = models.CharField(max_length=200)
    employee_id = models.CharField(max_length=32)
    position = models.CharField(max_length=120, blank=True)
    system_name = models.CharField(max_length=60)
    username = models.CharField(max_length=80, blank=True)
    certification_level = models.CharField(max_length=80, blank=True)
    # OSP's answer
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=300, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="batch__agency", person=None, agency_roles=REQUEST_READERS, person_roles=frozenset(),
                      state_roles=frozenset({STATE_AUDITOR}))

    class Meta:
        ordering = ["system_name", "person_name", "pk"]
        constraints = [
            # a request is sent once: until OSP rejects it, the same account and action are in one batch only
            models.UniqueConstraint(fields=["account", "action"], condition=~models.Q(outcome="rejected"),
                                    name="one_live_osp_request_per_account_and_action"),
            models.CheckConstraint(condition=models.Q(outcome="") | models.Q(answered_on__isnull=False),
                                   name="osp_answer_has_date"),
            models.CheckConstraint(condition=~models.Q(outcome="rejected") | ~models.Q(rejection_reason=""),
                                   name="osp_rejection_has_reason"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.system_name} for {self.person_name}"

    @property
    def is_answered(self) -> bool:
        return bool(self.outcome)
