"""State-system accounts (R-AC-1..5): the systems, each person's accounts and their steps, transfers to duties
without LEDS access, the annual access review and password-reset assists.

These models began in ``background``; they keep its tables (``db_table``, and simple-history's ``table_name``), so
moving them to this app moved no data (migrations: state_access 0001, background 0008).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.dates import in_words
from common.models import VoidableRecord
from people.scoping import AgencyQuerySet, Scoping


class StateSystem(models.Model):
    """A state system a person holds an account on (R-AC-1): the state's own (``agency`` empty, reference data
    in state_access/defaults.py: WebLEDS, LEDS 20/20 / eAgent, nexTEST, CJIS Online) or one an agency adds."""

    name = models.CharField(max_length=60)
    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="state_systems", help_text="Empty for the state's systems.")
    description = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(table_name="background_historicalstatesystem")

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None)

    class Meta:
        db_table = "background_statesystem"  # the table it had in background (no data moved)
        ordering = ["agency_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=models.Q(agency__isnull=True),
                                    name="state_system_name_unique"),
            models.UniqueConstraint(fields=["agency", "name"], name="agency_system_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_state_wide(self) -> bool:
        return self.agency_id is None


class StateAccount(VoidableRecord):
    """A person's account on one state system: requested → active → disable requested → disabled, each step
    with its date and time and who recorded it (R-AC-1). It cannot become active while the person's
    background check is not cleared (R-BG-1, enforced in ``services.activate_account``)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACTIVE = "active", "Active"
        DISABLE_REQUESTED = "disable_requested", "Disable requested"
        DISABLED = "disabled", "Disabled"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="state_accounts")
    system = models.ForeignKey(StateSystem, on_delete=models.PROTECT, related_name="accounts")
    username = models.CharField("user name on the system", max_length=80, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    disable_requested_at = models.DateTimeField(null=True, blank=True)
    disable_requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    last_login_on = models.DateField("last login", null=True, blank=True,
                                     help_text="From the monthly account-activity import (R-AC-3).")
    history = HistoricalRecords(table_name="background_historicalstateaccount")

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person")

    class Meta:
        db_table = "background_stateaccount"  # the table it had in background (no data moved)
        ordering = ["system__name", "-requested_at"]
        constraints = [
            # one open account per person and system; a disabled (or voided) one may be followed by a new request
            models.UniqueConstraint(fields=["person", "system"],
                                    condition=~models.Q(status="disabled") & models.Q(voided_at__isnull=True),
                                    name="one_open_account_per_person_and_system"),
            models.CheckConstraint(condition=~models.Q(status="active") | models.Q(activated_at__isnull=False),
                                   name="account_active_has_time"),
            models.CheckConstraint(condition=~models.Q(status="disabled") | models.Q(disabled_at__isnull=False),
                                   name="account_disabled_has_time"),
        ]
        indexes = [
            # the agency's first activation (when the first access review falls due, R-AC-4) read from the index's
            # start, not a scan of every account (issue 23)
            models.Index(fields=["activated_at"], name="stateaccount_activated_at"),
        ]

    def __str__(self):
        return f"{self.system} account of {self.person}"

    @property
    def is_enabled(self) -> bool:
        """Still usable on the state system: active, or disablement asked for but not yet confirmed."""
        return self.status in (self.Status.ACTIVE, self.Status.DISABLE_REQUESTED)


class DutyTransfer(VoidableRecord):
    """A transfer to duties that no longer need LEDS access (R-AC-2): like a separation, it makes every
    account of the person due for disablement 24 elapsed hours after ``transferred_at``."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="duty_transfers")
    transferred_at = models.DateTimeField("transfer date and time")
    new_duties = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    history = HistoricalRecords(table_name="background_historicaldutytransfer")

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person")

    class Meta:
        db_table = "background_dutytransfer"  # the table it had in background (no data moved)
        ordering = ["-transferred_at"]

    def __str__(self):
        return f"{self.person} transferred {in_words(timezone.localtime(self.transferred_at))}"


class AccessReview(models.Model):
    """The annual review of every active account of an agency (R-AC-4); read-only once signed."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="access_reviews")
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    signed_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    history = HistoricalRecords(table_name="background_historicalaccessreview")

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="agency", person=None, person_roles=frozenset())

    class Meta:
        db_table = "background_accessreview"  # the table it had in background (no data moved)
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency"], condition=models.Q(signed_at__isnull=True),
                                    name="one_open_access_review_per_agency"),
        ]

    def __str__(self):
        return f"Access review {in_words(timezone.localtime(self.started_at))} ({self.agency_id})"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class AccessReviewItem(models.Model):
    """One active account on the review's checklist: confirmed, or marked for disablement (R-AC-4)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not yet reviewed"
        CONFIRMED = "confirmed", "Confirmed"
        DISABLE = "disable", "Marked for disablement"

    review = models.ForeignKey(AccessReview, on_delete=models.PROTECT, related_name="items")
    account = models.ForeignKey(StateAccount, on_delete=models.PROTECT, related_name="review_items")
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    history = HistoricalRecords(table_name="background_historicalaccessreviewitem")

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="review__agency", person=None, person_roles=frozenset())

    class Meta:
        db_table = "background_accessreviewitem"  # the table it had in background (no data moved)
        ordering = ["account__person__last_name", "account__person__first_name", "account__system__name"]
        constraints = [models.UniqueConstraint(fields=["review", "account"], name="one_review_item_per_account")]

    def __str__(self):
        return f"{self.account}: {self.get_decision_display()}"


class PasswordResetAssist(models.Model):
    """Help with a locked state account's password, logged (R-AC-5): who asked, who reset, when, which system."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="password_reset_assists",
                               help_text="Who asked for the reset.")
    system = models.ForeignKey(StateSystem, on_delete=models.PROTECT, related_name="+")
    reset_at = models.DateTimeField("reset date and time")
    reset_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 help_text="Who reset the password.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="background_historicalpasswordresetassist")

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(agency="person__agency", person="person", person_roles=frozenset())

    class Meta:
        db_table = "background_passwordresetassist"  # the table it had in background (no data moved)
        ordering = ["-reset_at"]

    def __str__(self):
        return f"{self.system} password reset for {self.person} {in_words(timezone.localtime(self.reset_at))}"
