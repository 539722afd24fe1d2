"""The custom user model (from the first migration, so later changes need no swap)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from people.scoping import AGENCY_AUDITOR, LASO, LEDS_REPRESENTATIVE, STATE_AUDITOR, AgencyQuerySet, Scoping


class User(AbstractUser):
    """A sign-in. It may link to one Person (people.Person.user); roles come from memberships."""

    is_system = models.BooleanField(
        default=False, help_text="A non-interactive user named for a command, recorded as the actor in history."
    )
    must_change_password = models.BooleanField(
        default=False, help_text="Set when an administrator sets the password: the person chooses a new one at sign-in."
    )

    class Meta:
        ordering = ["username"]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username


class SecurityEvent(models.Model):
    """One row of the security log (R-SEC-5, CJIS AU-2/AU-3): who, what, when, from where, outcome.

    Append-only: rows are written only by ``accounts.security_log.record`` and never changed; each row's
    ``hash`` covers its own fields and the previous row's hash, so a row changed or removed directly in the
    database breaks the chain (``manage.py verify_security_log``).
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        SESSION_EXPIRED = "session_expired", "Session expired"
        LOCKED_OUT = "locked_out", "Account locked"
        UNLOCKED = "unlocked", "Account unlocked"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
        PASSWORD_RESET = "password_reset", "Password reset by e-mail link"
        PASSWORD_SET_BY_ADMIN = "password_set_by_admin", "Password set by an administrator"
        MFA_ENABLED = "mfa_enabled", "Second factor added"
        MFA_REMOVED = "mfa_removed", "Second factor removed"
        MFA_RESET = "mfa_reset", "Second factors reset"
        MFA_FAILED = "mfa_failed", "Second-factor code refused"
        RECOVERY_CODES = "recovery_codes", "Recovery codes generated or used"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ROLE_GRANTED = "role_granted", "Role granted"
        ROLE_REVOKED = "role_revoked", "Role removed"
        SIGN_IN_DEACTIVATED = "sign_in_deactivated", "Sign-in deactivated"
        SIGN_IN_REACTIVATED = "sign_in_reactivated", "Sign-in reactivated"
        ADMIN_ACTION = "admin_action", "Administrative action"
        BACKGROUND_RECORD_READ = "background_record_read", "Background record read"
        LOG_REVIEWED = "log_reviewed", "Security log review signed off"
        LOG_PRUNED = "log_pruned", "Security log pruned (checkpoint)"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"
        DENIED = "denied", "Denied"

    occurred_at = models.DateTimeField(db_index=True)
    event = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Who acted (empty for an unknown user name or the system).",
    )
    actor_username = models.CharField(
        max_length=150, blank=True, help_text="The user name as typed or held at the time (kept if renamed)."
    )
    agency = models.ForeignKey(
        "people.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    target = models.CharField(max_length=200, blank=True, help_text="What the action was about, e.g. user:alice.")
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AgencyQuerySet.as_manager()
    # the log is read agency-wide by the program's officers and auditors; nobody reads "their own" rows
    scoping = Scoping(
        agency="agency",
        person=None,
        agency_roles=frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR}),
        person_roles=frozenset(),
        state_roles=frozenset({STATE_AUDITOR}),
    )

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["agency", "-occurred_at"])]

    def __str__(self):
        return f"#{self.pk} {self.occurred_at:%Y-%m-%d %H:%M:%S} {self.get_event_display()} {self.actor_username}"


class SecurityLogHead(models.Model):
    """The single row that serialises appends: ``record`` locks it, reads the last hash, writes the next row."""

    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="security_log_head_singleton")]

    def __str__(self):
        return f"security log head at #{self.last_event_id}"


class SecurityLogReview(models.Model):
    """The LASO's weekly sign-off that they reviewed their agency's security log (R-SEC-5)."""

    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="security_log_reviews")
    reviewed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    period_start = models.DateTimeField(help_text="The oldest event the review covered.")
    period_end = models.DateTimeField(help_text="The newest event the review covered.")
    events_reviewed = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True, help_text="Anything found and what was done about it.")
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(
        agency="agency",
        person=None,
        agency_roles=frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR}),
        person_roles=frozenset(),
        state_roles=frozenset({STATE_AUDITOR}),
    )

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self):
        return f"Security log review {self.agency_id} {self.reviewed_at:%Y-%m-%d}"


class SignInFailure(models.Model):
    """One failed sign-in for a user name (typed, so it may not exist), with its own time (R-SEC-3).

    A row per failure gives the exact sliding window; the rows are cleared by a successful sign-in or an unlock.
    The security log keeps the lasting record.
    """

    username = models.CharField(max_length=150, db_index=True)
    failed_at = models.DateTimeField(db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.username} failed at {self.failed_at:%Y-%m-%d %H:%M:%S}"


class AccountLock(models.Model):
    """A user name locked after too many failures, until an administrator or LEDS Representative unlocks it."""

    username = models.CharField(max_length=150, db_index=True)
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="locks")
    agency = models.ForeignKey("people.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    locked_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    unlocked_at = models.DateTimeField(null=True, blank=True)
    unlocked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    # the LEDS Representative unlocks their agency's people; a user name that matches nobody is the
    # administrators' (a superuser reads every row)
    scoping = Scoping(
        agency="agency", person=None, agency_roles=frozenset({LEDS_REPRESENTATIVE}), person_roles=frozenset(),
        state_roles=frozenset(),
    )

    class Meta:
        ordering = ["-locked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["username"], condition=models.Q(unlocked_at__isnull=True), name="one_open_lock_per_username"
            ),
        ]

    def __str__(self):
        return f"{self.username} locked {self.locked_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.unlocked_at is None


class Invitation(models.Model):
    """An e-mailed link that lets a person set their password once, then enroll MFA (CJIS AC-2)."""

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="invitations")
    agency = models.ForeignKey("people.Agency", on_delete=models.PROTECT, related_name="+")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the link's token.")
    invited_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()
    scoping = Scoping(
        agency="agency", person=None, agency_roles=frozenset({LEDS_REPRESENTATIVE}), person_roles=frozenset(),
        state_roles=frozenset(),
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.user} ({self.created_at:%Y-%m-%d})"
