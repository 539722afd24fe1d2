"""The demo's history reads like an agency's: records stamped by the demo users who keep them (the LASO for
background records, the LEDS Representative for the rest) on the days they happened, not by the seeding command
at seed time (issue 22)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from audit.sections import _history_sources

# the record's own dates: the first history row on the first, later rows on the later ones (in order)
DATES = {
    "people.person": ("assigned_on", ("separated_at",)),
    "background.fingerprintcheck": ("submitted_on", ("result_on", "exception_requested_on", "exception_decided_on")),
    "state_access.stateaccount": ("requested_at", ("activated_at", "disable_requested_at", "disabled_at")),
    "certification.trainingguideissue": ("issued_on", ("completed_on",)),
    "certification.certificationresult": ("passed_on", ()),
    "certification.securityawarenesscompletion": ("completed_on", ()),
}
BACKGROUND_APPS = ("background", "state_access")
KEEPERS = {0: ("rep", "laso"), 1: ("malheur_rep", "malheur_rep")}  # agency index -> (records, background)


def _moment(value, zone, offset: int) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(value, datetime.time(9, 0), tzinfo=zone) + datetime.timedelta(minutes=offset)


def restamp_history(world) -> None:
    now = timezone.now()
    for index, (records_user, background_user) in KEEPERS.items():
        if index >= len(world.agencies):
            continue
        agency = world.agencies[index]
        users = {u.username: u for u in User.objects.filter(username__in=[records_user, background_user])}
        if len(users) < len({records_user, background_user}):
            continue
        for model, scoping in _history_sources():
            historical = model.history.model
            agency_filter = {f"{scoping.agency}_id" if scoping.agency else "id": agency.pk}
            keeper = users[background_user if model._meta.app_label in BACKGROUND_APPS else records_user]
            ours = historical.objects.filter(**agency_filter)
            ours.filter(history_user__isnull=True).update(history_user=keeper)
            ours.filter(history_user=world.actor).update(history_user=keeper)
            dates = DATES.get(model._meta.label_lower)
            if dates is None:
                continue
            first, later = dates
            rows = list(ours.order_by("id", "history_date", "history_id"))
            changed, previous_id, step, last = [], None, 0, None
            for offset, row in enumerate(rows):
                if row.id != previous_id:
                    previous_id, step = row.id, 0
                    value = getattr(row, first)
                    if model._meta.label_lower == "people.person":
                        value = value - datetime.timedelta(days=7)  # on the roster a week before the assignment
                    moment = _moment(value, agency.zone, offset % 300)
                else:
                    values = [getattr(row, name) for name in later if getattr(row, name, None)]
                    value = values[step] if step < len(values) else None
                    moment = _moment(value, agency.zone, offset % 300) if value else last + datetime.timedelta(hours=1)
                    moment = max(moment, last)
                    step += 1
                last = moment = min(moment, now)
                if row.history_date != moment:
                    row.history_date = moment
                    changed.append(row)
            historical.objects.bulk_update(changed, ["history_date"], batch_size=500)
