"""One person's complete LEDS-related record and change history, as a PDF for an internal investigation.

Everything LEDS Admin holds about the person — facts, roles, obligations, certification and training records,
background check dates and outcomes (never criminal-history text), state-system accounts and their lifecycle,
transfers, password-reset assists, validation entries they worked, events, agreements signed, the security-log
events of their sign-in, and every field-level change with who, when and why (R-AU-2).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from accounts.models import SecurityEvent
from agreements.models import AgreementSignatory
from background.models import FingerprintCheck
from certification.selectors import person_records
from compliance.selectors import agency_today, person_compliance
from people.history import person_history
from people.models import Membership
from state_access.models import DutyTransfer, PasswordResetAssist, StateAccount
from training_events.models import Registration
from validations.models import ValidationEntry

MAX_SECURITY_EVENTS = 1000
MAX_VALIDATION_ENTRIES = 500


def investigation_context(*, person, roles: frozenset[str], is_superuser: bool = False) -> dict:
    user = person.user
    events = []
    memberships = []
    if user is not None:
        memberships = list(Membership.objects.filter(user=user).select_related("agency").order_by("agency", "role"))
        events = list(SecurityEvent.objects.filter(Q(actor=user) | Q(target=f"user:{user.get_username()}"))
                      .order_by("-occurred_at")[:MAX_SECURITY_EVENTS])
    zone = person.agency.zone
    for event in events:
        event.local_at = timezone.localtime(event.occurred_at, zone)
    history = person_history(person=person, roles=roles, is_superuser=is_superuser)
    for entry in history:
        entry["local_at"] = timezone.localtime(entry["at"], zone)
    return {
        "person": person,
        "today": agency_today(person.agency),
        "memberships": memberships,
        "compliance": person_compliance(person=person),
        "records": person_records(person=person),
        # dates and outcomes only (R-PE-1)
        "checks": list(FingerprintCheck.objects.filter(person=person).order_by("submitted_on").values(
            "submitted_on", "taken_on", "result_on", "outcome", "exception_decided_on", "voided_at", "void_reason")),
        "outcomes": dict(FingerprintCheck.Outcome.choices),
        "registrations": list(Registration.objects.filter(person=person).select_related("event")
                              .prefetch_related("attendances__day").order_by("registered_at")),
        "signatures": list(AgreementSignatory.objects.filter(person=person).select_related("agreement")),
        "accounts": list(StateAccount.objects.filter(person=person).select_related("system").order_by(
            "system__name", "requested_at")),
        "transfers": list(DutyTransfer.objects.filter(person=person).order_by("transferred_at")),
        "resets": list(PasswordResetAssist.objects.filter(person=person).select_related("system", "reset_by")
                       .order_by("reset_at")),
        "validations": list(ValidationEntry.objects.filter(validator=person).select_related("cycle").order_by(
            "-cycle__received_on", "line")[:MAX_VALIDATION_ENTRIES]),
        "security_events": events,
        "history": history,
        "generated_at": timezone.localtime(timezone.now(), zone),
    }
