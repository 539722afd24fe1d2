"""The training unit's inbox and its daily digest e-mail (issue 20, R-EV-4).

New offers to host and new registrations reach the training unit once a day by e-mail, through the outbox, and
on the inbox page at any time. "New" means: arrived after the last digest.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from common.dates import in_words
from notifications.services import queue_email
from people.models import Membership

from .models import HostRequest, Registration, TrainingUnitDigest

FIRST_DIGEST_LOOKBACK = datetime.timedelta(days=1)
DIGEST_LIST_LIMIT = 200  # per kind in one e-mail; the rest is counted and on the inbox page


def last_digest_at() -> datetime.datetime | None:
    return TrainingUnitDigest.objects.order_by("-covered_until").values_list("covered_until", flat=True).first()


def new_since(*, user, since: datetime.datetime | None, until: datetime.datetime | None = None):
    """(offers, registrations) that arrived in (since, until], scoped to ``user``; querysets, newest first."""
    offers = HostRequest.objects.for_user(user).select_related("agency", "requested_by")
    registrations = Registration.objects.for_user(user).select_related("event", "person", "person__agency")
    if since is not None:
        offers = offers.filter(requested_at__gt=since)
        registrations = registrations.filter(registered_at__gt=since)
    if until is not None:
        offers = offers.filter(requested_at__lte=until)
        registrations = registrations.filter(registered_at__lte=until)
    return offers.order_by("-requested_at", "-pk"), registrations.order_by("-registered_at", "-pk")


def inbox_counts(*, user) -> dict[str, int]:
    """The navigation's counts: offers waiting for a decision, registrations since the last digest. 3 queries."""
    since = last_digest_at()
    _offers, registrations = new_since(user=user, since=since)
    pending = HostRequest.objects.for_user(user).filter(status=HostRequest.Status.PENDING).count()
    return {"pending_offers": pending, "new_registrations": registrations.count(),
            "total": pending + registrations.count()}


def recipients() -> list[tuple[int, str, str]]:
    """(user pk, address, first name) of every active training-unit user with an address."""
    found = {}
    for membership in (Membership.objects.filter(role=Membership.Role.STATE_TRAINING_UNIT, user__is_active=True)
                       .select_related("user", "user__person").order_by("user_id")):
        user = membership.user
        person = getattr(user, "person", None)
        address = user.email or (person.email if person else "")
        if address:
            found[user.pk] = (user.pk, address, user.first_name or user.username)
    return list(found.values())


def queue_training_unit_digest(*, now: datetime.datetime | None = None,
                               force: bool = False) -> TrainingUnitDigest | None:
    """Queue today's digest once (beat ticks hourly; only the first tick after REMINDER_HOUR queues it).

    Returns the day's digest row when this call made it, else None. Nothing new: the row is kept, no e-mail.
    """
    now = now or timezone.now()
    local = timezone.localtime(now, timezone.get_default_timezone())
    if local.hour < settings.REMINDER_HOUR and not force:
        return None
    day = local.date()
    if TrainingUnitDigest.objects.filter(day=day).exists():
        return None
    since = last_digest_at() or now - FIRST_DIGEST_LOOKBACK
    offers = list(HostRequest.objects.filter(requested_at__gt=since, requested_at__lte=now)
                  .select_related("agency").order_by("requested_at", "pk"))
    registrations = list(Registration.objects.filter(registered_at__gt=since, registered_at__lte=now)
                         .select_related("event", "person", "person__agency").order_by("event__title", "arrival"))
    try:
        with transaction.atomic():
            digest = TrainingUnitDigest.objects.create(day=day, covered_from=since, covered_until=now,
                                                       offers=len(offers), registrations=len(registrations))
            if offers or registrations:
                body = render_to_string("email/training_events/unit_digest.txt", {
                    "day": day, "since": since, "offers": offers[:DIGEST_LIST_LIMIT],
                    "registrations": registrations[:DIGEST_LIST_LIMIT],
                    "more_offers": max(len(offers) - DIGEST_LIST_LIMIT, 0),
                    "more_registrations": max(len(registrations) - DIGEST_LIST_LIMIT, 0),
                    "site_url": settings.SITE_URL,
                })
                subject = (f"Training unit daily digest {in_words(day)}: {len(offers)} new offer"
                           f"{'s' if len(offers) != 1 else ''} to host, {len(registrations)} new registration"
                           f"{'s' if len(registrations) != 1 else ''}")
                for user_pk, address, _name in recipients():
                    _msg, created = queue_email(to=[address], subject=subject, template="email/message",
                                                context={"body": body},
                                                key=f"training-unit-digest:{day:%Y-%m-%d}:{user_pk}")
                    digest.queued += created
                digest.save(update_fields=["queued"])
    except IntegrityError:  # another worker queued today's digest first
        return None
    return digest
