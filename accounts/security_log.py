"""The security log (R-SEC-5, CJIS AU-2): one function to append, one to verify, one to prune.

Every other app writes to the log only through :func:`record`. Example, the background-check app logging a
read of a background record (R-SEC-5 "reads of background records"), called from the view *after* the scoped
lookup succeeded, so a 404 for another agency's record is not logged as a read::

    from accounts import security_log
    from accounts.models import SecurityEvent

    check = get_object_or_404(BackgroundCheck.objects.for_user(request.user), pk=pk)
    security_log.record(
        event=SecurityEvent.Kind.BACKGROUND_RECORD_READ,
        request=request,                      # actor, IP address and agency come from the request
        agency=check.person.agency,           # the agency the record belongs to (defaults to request.agency)
        target=f"background check {check.pk} ({check.person})",
        details={"view": "detail"},            # never criminal-history text (CHRI) in details
    )

``record`` joins the caller's transaction when there is one (the log row commits or rolls back with the change
it describes) and otherwise commits on its own. Appends are serialised by locking the one ``SecurityLogHead``
row, so two writers can never chain onto the same previous row (no fork).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from people.models import Membership, Person

from .models import SecurityEvent, SecurityLogHead

Kind = SecurityEvent.Kind
Outcome = SecurityEvent.Outcome
GENESIS_HASH = "0" * 64


def _normalise_ip(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if ":" in value:
        try:
            return clean_ipv6_address(value)
        except Exception:  # not an address: keep nothing rather than refuse to log
            return None
    parts = value.split(".")
    if len(parts) == 4 and all(p.isdigit() and 0 <= int(p) <= 255 for p in parts):
        return value
    return None


def client_ip(request) -> str | None:
    """The client address as Django sees it (a proxy in front must set REMOTE_ADDR, e.g. gunicorn's)."""
    if request is None:
        return None
    return _normalise_ip(request.META.get("REMOTE_ADDR"))


def compute_hash(*, prev_hash: str, occurred_at: datetime, event: str, outcome: str, actor_id: int | None,
                 actor_username: str, agency_id: int | None, ip_address: str | None, target: str,
                 details: dict) -> str:
    """SHA-256 over the row's fields in a canonical form, chained to the previous row's hash."""
    payload = {
        "prev": prev_hash,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "event": event,
        "outcome": outcome,
        "actor": actor_id,
        "actor_username": actor_username,
        "agency": agency_id,
        "ip": ip_address,
        "target": target,
        "details": details,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _row_hash(row: SecurityEvent) -> str:
    return compute_hash(
        prev_hash=row.prev_hash, occurred_at=row.occurred_at, event=row.event, outcome=row.outcome,
        actor_id=row.actor_id, actor_username=row.actor_username, agency_id=row.agency_id,
        ip_address=_normalise_ip(row.ip_address), target=row.target, details=row.details,
    )


def _agency_of(user):
    """The agency a user belongs to, for rows about them written outside a request's agency."""
    if user is None or not getattr(user, "pk", None):
        return None

    person = Person.objects.filter(user_id=user.pk).select_related("agency").first()
    if person is not None:
        return person.agency
    membership = Membership.objects.filter(user_id=user.pk).select_related("agency").first()
    return membership.agency if membership else None


def record(
    *,
    event: str,
    actor=None,
    request=None,
    agency=None,
    target: str = "",
    outcome: str = Outcome.SUCCESS,
    details: dict | None = None,
    actor_username: str | None = None,
    subject=None,
) -> SecurityEvent:
    """Append one event to the security log and return it.

    ``event``: a ``SecurityEvent.Kind``. ``actor``: who acted (default: the request's signed-in user; None for
    an unknown user name or the system). ``request``: gives the IP address, and the actor and agency when not
    passed. ``agency``: whose log the row belongs to (default: the request's agency, else the actor's or the
    ``subject``'s agency). ``target``: what it was about, short text ("user:alice", "background check 12").
    ``outcome``: ``SecurityEvent.Outcome``. ``details``: small JSON-safe facts, never CHRI or secrets.
    ``actor_username``: the name as typed (failed sign-ins). ``subject``: a user the action was about (for the
    agency default only).
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            actor = user
    if agency is None and request is not None:
        agency = getattr(request, "agency", None)
    if agency is None:
        agency = _agency_of(subject) or _agency_of(actor)
    if actor_username is None:
        actor_username = actor.get_username() if actor is not None else ""
    # a JSON round trip now, so the hash is computed over exactly what the database gives back later
    details = json.loads(json.dumps(details or {}, default=str))
    row = SecurityEvent(
        event=event,
        outcome=outcome,
        actor=actor,
        actor_username=(actor_username or "")[:150],
        agency=agency,
        ip_address=client_ip(request),
        target=(target or "")[:200],
        details=details,
    )
    with transaction.atomic():
        head = _locked_head()
        row.occurred_at = timezone.now()
        row.prev_hash = head.last_hash
        row.hash = _row_hash(row)
        # field checks only: the actor and agency are objects in hand, and the hash's uniqueness is the index's job
        row.full_clean(exclude=["actor", "agency"], validate_unique=False)
        row.save()
        head.last_hash = row.hash
        head.last_event_id = row.pk
        head.save(update_fields=["last_hash", "last_event_id"])
    return row



def record_background_read(*, what: str, view: str, request=None, actor=None, agency=None, **details) -> SecurityEvent:
    """R-BG-4: one ``background_record_read`` row for every route that shows background data.

    ``what`` names what was read ("background checks of Lee, Ann (person 7)", "audit packet 3 (background
    section)"); ``view`` names the route ("person", "history", "investigation_export", "audit_packet_download").
    The LASO's filter for background reads finds every one of them, whatever the page, export or download.
    """
    return record(event=Kind.BACKGROUND_RECORD_READ, actor=actor, request=request, agency=agency, target=what,
                  details={"view": view, **details})

def _locked_head() -> SecurityLogHead:
    """Lock the chain head (serialises appends across processes); create it on first use."""
    head = SecurityLogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        SecurityLogHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS_HASH})
        head = SecurityLogHead.objects.select_for_update().get(pk=1)
    return head


@dataclass
class Verification:
    ok: bool
    rows: int
    broken_id: int | None = None
    reason: str = ""


def verify(*, chunk_size: int = 2000) -> Verification:
    """Walk the chain from the oldest row: each row's hash must match its fields and the previous row's hash.

    After pruning, the oldest remaining row chains to the ``through_hash`` of the newest checkpoint row
    (``LOG_PRUNED``), which is itself in the chain, so removing or editing the checkpoint is detected too.
    """
    checkpoints = {
        r.details.get("through_hash"): r.details.get("through_id")
        for r in SecurityEvent.objects.filter(event=Kind.LOG_PRUNED).order_by("id")
    }
    expected_prev = None
    count = 0
    last = None
    for row in SecurityEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if expected_prev is None:
            if row.prev_hash != GENESIS_HASH and checkpoints.get(row.prev_hash) is None:
                return Verification(False, count, row.pk, "the oldest row does not start the chain and no "
                                    "checkpoint names its predecessor (rows removed)")
            through_id = checkpoints.get(row.prev_hash)
            if through_id is not None and row.pk <= through_id:
                return Verification(False, count, row.pk, "a row the checkpoint says was pruned is present")
        elif row.prev_hash != expected_prev:
            return Verification(False, count, row.pk,
                                f"its previous hash does not match row #{last.pk} (a row changed or removed)")
        if _row_hash(row) != row.hash:
            return Verification(False, count, row.pk, "its contents do not match its hash (the row was changed)")
        expected_prev = row.hash
        last = row
        count += 1
    head = SecurityLogHead.objects.filter(pk=1).first()
    if (head is not None and head.last_event_id is not None
            and (last is None or head.last_event_id != last.pk or head.last_hash != last.hash)):
        broken = head.last_event_id
        return Verification(False, count, broken, f"the newest rows were removed (the head names row #{broken})")
    return Verification(True, count)


def retention() -> timedelta:
    return timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)


def prune(*, actor, older_than_days: int | None = None, now: datetime | None = None, dry_run: bool = False) -> int:
    """Remove the oldest rows past the retention (at least 1 year, R-SEC-5) and append a checkpoint row.

    Only a prefix of the chain is removed, and never a row younger than the configured retention, whatever
    ``older_than_days`` says. Returns the number of rows removed (or that would be, with ``dry_run``).
    """
    days = max(older_than_days or 0, settings.SECURITY_LOG_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    with transaction.atomic():
        _locked_head()  # no appends while the prefix is cut
        first_young = SecurityEvent.objects.filter(occurred_at__gte=cutoff).order_by("id").values("id").first()
        old = SecurityEvent.objects.filter(occurred_at__lt=cutoff)
        if first_young is not None:
            old = old.filter(id__lt=first_young["id"])  # a prefix only, so the rest still chains
        last_old = old.order_by("-id").values("id", "hash", "occurred_at").first()
        if last_old is None:
            return 0
        count = old.count()
        if dry_run:
            return count
        old.delete()
        record(
            event=Kind.LOG_PRUNED,
            actor=actor,
            target="security log",
            details={
                "through_id": last_old["id"],
                "through_hash": last_old["hash"],
                "through_occurred_at": last_old["occurred_at"].isoformat(),
                "rows_removed": count,
                "retention_days": days,
            },
        )
    return count
