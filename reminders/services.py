"""The daily reminder sweep and the weekly digest: ask the compliance engine, queue in the outbox (issue 9)."""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from common.dates import in_words
from common.reference_data import ensure_periodic_tasks
from compliance import engine
from compliance.registry import (
    ACTORS,
    LASO,
    LEDS_REPRESENTATIVE,
    act_url_names,
    default_guidance,
    obligation_label,
    person_reminder_obligations,
    role_reminder_obligations,
)
from compliance.selectors import agency_compliance, agency_today, rule_table
from notifications.models import OutboxMessage
from notifications.services import queue_email, schedule_delivery
from people.models import Agency, Membership, Person

from .defaults import SCHEDULES
from .models import SweepRun
from .rules import digest_day, reminder_stage

REMINDER_STATUSES = {engine.DUE_SOON, engine.OVERDUE}
DIGEST_ITEMS_PER_OBLIGATION = 100  # the rest: "and N more — see the dashboard"


def verdict_line(verdict) -> str:
    """The person's verdict for their own reminder (R-PE-3), empty when eligible; a background reason is not named
    in an e-mail the supervisor may be copied on (R-BG-4)."""
    if verdict.code in (engine.ELIGIBLE, engine.SEPARATED):
        return ""
    shown = [o.rule_id for o in verdict.reasons if not o.is_sensitive]
    hidden = any(o.is_sensitive for o in verdict.reasons)
    ids = ", ".join(dict.fromkeys(shown))
    return (f"Your LEDS access: {verdict.label}" + (f" — {ids}" if ids else "")
            + ("; another requirement is not met (ask your LASO)" if hidden else "") + ".")


def role_recipients(*, agency: Agency) -> dict[str, list[str]]:
    """The addresses of the agency's LEDS Representatives (alternates included) and LASOs, per role: one query."""
    recipients: dict[str, set[str]] = {LEDS_REPRESENTATIVE: set(), LASO: set()}
    for role, user_email, person_email, is_active in Membership.objects.filter(
            agency=agency, role__in=list(recipients)).values_list("role", "user__email", "user__person__email",
                                                                 "user__is_active"):
        address = user_email or person_email
        if address and is_active:
            recipients[role].add(address)
    return {role: sorted(addresses) for role, addresses in recipients.items()}


def due_reminders(*, agency: Agency, today: date) -> list[OutboxMessage]:
    """The outbox rows the sweep would queue for one agency today (unsaved), in a fixed number of queries.

    One row per obligation stage (the unique reminder key), sent to whoever can act (issue 22): the person for
    what they do (their supervisor copied when it is overdue), the LEDS Representative or the LASO for what they
    do (compliance.registry.actor). A recipient's rows of one morning share a group key, so delivery sends them
    ONE e-mail listing them all. Each row carries the rule table's guidance: what to do, and where.
    """
    people = Person.objects.filter(agency=agency)
    contacts = {row["pk"]: row for row in people.values("pk", "email", "first_name", "last_name", "supervisor_id")}
    rules = rule_table()
    theirs = person_reminder_obligations()
    for_roles = role_reminder_obligations()
    roles = role_recipients(agency=agency) if for_roles else {}
    act_paths = {name: reverse(url_name) for name, url_name in act_url_names().items()}
    rows = []
    for result in agency_compliance(people=people.exclude(status=Person.Status.SEPARATED), agency=agency,
                                    today=today):
        contact = contacts.get(result.person.pk)
        if not contact:
            continue
        verdict = verdict_line(result.verdict)
        for item in result.obligations:
            if item.status not in REMINDER_STATUSES:
                continue
            role = for_roles.get(item.obligation)
            if item.obligation in theirs:
                if not contact["email"]:
                    continue  # listed for the LEDS Representative instead (selectors.unreachable)
                to = [contact["email"]]
            elif role and roles.get(role):
                to = roles[role]
            else:
                continue  # nobody to e-mail: the weekly digest and the dashboard list it
            rule = rules.get(item.obligation)
            stage = reminder_stage(due=item.due, today=today, lead_days=rule.lead_days if rule else (),
                                   overdue_repeat_days=rule.overdue_repeat_days if rule else 7)
            if stage is None:
                continue
            guidance = (rule.guidance if rule else "") or default_guidance(item.obligation)
            when = f"{'overdue' if item.status == engine.OVERDUE else 'due'} {in_words(item.due)}"
            person_path = f"/people/{contact['pk']}/"
            context = {"title": item.title, "rule_id": item.rule_id, "due": in_words(item.due),
                       "overdue": item.status == engine.OVERDUE, "flag": item.flag, "guidance": guidance,
                       "person_path": person_path, "path": act_paths.get(item.obligation, person_path)}
            if role and item.obligation not in theirs:  # the LEDS Representative or LASO, about this person
                name = f"{contact['last_name']}, {contact['first_name']}"
                rows.append(OutboxMessage(
                    agency=agency, person_id=contact["pk"], obligation=item.obligation, object_ref=item.key or "",
                    due_date=item.due, stage=stage, to=to, cc=[],
                    group_key=f"reminders:{role}:{agency.pk}:{today:%Y-%m-%d}",
                    subject=f"LEDS: {item.title or item.obligation} — {name}, {when}", template="email/reminder",
                    context={**context, "name": ACTORS[role], "about": f"{name} ({result.person.employee_id})",
                             "person_path": "/compliance/"},
                ))
                continue
            cc = []
            supervisor = contacts.get(contact["supervisor_id"])
            if item.status == engine.OVERDUE and supervisor and supervisor["email"]:
                cc = [supervisor["email"]]  # the supervisor is copied on overdue items (issue 9)
            rows.append(OutboxMessage(
                agency=agency, person_id=contact["pk"], obligation=item.obligation, object_ref=item.key or "",
                due_date=item.due, stage=stage, to=to, cc=cc,
                group_key=f"reminders:{contact['pk']}:{today:%Y-%m-%d}",
                subject=f"LEDS: {item.title or item.obligation} {when}",
                template="email/reminder",
                context={**context, "name": contact["first_name"], "verdict": verdict},
            ))
    return rows


def sweep(*, agencies=None, today: date | None = None, dry_run: bool = False) -> int:
    """Queue today's reminders; returns how many new rows were queued.

    Idempotent: the outbox's unique (person, obligation, object, due date, stage) and ON CONFLICT DO NOTHING
    make a second sweep — or a concurrent one — queue nothing twice. A missed day is caught up because the
    stage is the current one (reminders.rules), never the stale ones.
    """
    total = 0
    for agency in agencies if agencies is not None else Agency.objects.all():
        day = today or agency_today(agency)
        rows = due_reminders(agency=agency, today=day)
        if dry_run:
            existing = set(OutboxMessage.objects.filter(agency=agency, due_date__isnull=False).exclude(stage="")
                           .values_list("person_id", "obligation", "object_ref", "due_date", "stage"))
            total += sum((r.person_id, r.obligation, r.object_ref, r.due_date, r.stage) not in existing for r in rows)
            continue
        with transaction.atomic():
            before = OutboxMessage.objects.filter(agency=agency).count()
            OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)  # one INSERT on PostgreSQL
            total += OutboxMessage.objects.filter(agency=agency).count() - before
            transaction.on_commit(schedule_delivery)
    return total


def digest_recipients(*, agency: Agency) -> list[tuple[int, str, str]]:
    """(user pk, address, first name) of the agency's LEDS Representatives and LASOs, one row per user."""
    memberships = (Membership.objects.filter(agency=agency, role__in=[Membership.Role.LEDS_REPRESENTATIVE,
                                                                       Membership.Role.LASO])
                   .select_related("user", "user__person").order_by("user_id"))
    recipients = {}
    for membership in memberships:
        user = membership.user
        person = getattr(user, "person", None)
        address = user.email or (person.email if person else "")
        if address and user.is_active:
            recipients[user.pk] = (user.pk, address, user.first_name or user.username)
    return list(recipients.values())


def digest_context(*, agency: Agency, today: date) -> dict:
    """Counts and the overdue and due-soon items of one agency, grouped by obligation (JSON-ready)."""
    people = Person.objects.filter(agency=agency).exclude(status=Person.Status.SEPARATED)
    groups: dict[str, dict] = {}
    for result in agency_compliance(people=people, agency=agency, today=today):
        for item in result.obligations:
            if item.status not in REMINDER_STATUSES:
                continue
            group = groups.setdefault(item.obligation, {"obligation": obligation_label(item.obligation),
                                                        "overdue": 0, "due_soon": 0, "items": [], "more": 0})
            group["overdue" if item.status == engine.OVERDUE else "due_soon"] += 1
            group["items"].append({"name": result.person.name, "employee_id": result.person.employee_id,
                                   "overdue": item.status == engine.OVERDUE, "due": in_words(item.due),
                                   "flag": item.flag, "path": f"/people/{result.person.pk}/"})
    for group in groups.values():
        group["items"].sort(key=lambda i: (not i["overdue"], i["due"], i["name"]))
        group["more"] = max(len(group["items"]) - DIGEST_ITEMS_PER_OBLIGATION, 0)
        group["items"] = group["items"][:DIGEST_ITEMS_PER_OBLIGATION]
    ordered = sorted(groups.values(), key=lambda g: (-g["overdue"], -g["due_soon"], g["obligation"]))
    return {"agency": agency.name, "ori": agency.ori, "week_of": in_words(today), "groups": ordered,
            "overdue": sum(g["overdue"] for g in ordered), "due_soon": sum(g["due_soon"] for g in ordered),
            "path": "/compliance/"}


def queue_digests(*, agency: Agency, today: date) -> int:
    """Queue this week's digest to each LEDS Representative and LASO; a second call the same week queues none."""
    week = digest_day(today=today, weekday=settings.DIGEST_WEEKDAY)
    context = digest_context(agency=agency, today=today)
    subject = (f"LEDS weekly digest, {agency.ori}: {context['overdue']} overdue, {context['due_soon']} due soon")
    queued = 0
    with transaction.atomic():
        for user_pk, address, first_name in digest_recipients(agency=agency):
            _msg, created = queue_email(to=[address], subject=subject, template="email/digest", agency=agency,
                                        context={**context, "name": first_name},
                                        key=f"digest:{agency.pk}:{week:%Y-%m-%d}:{user_pk}")
            queued += created
    return queued


def run_scheduled(*, now: datetime | None = None) -> dict[str, int]:
    """Beat's hourly tick: sweep each agency once its own clock passes REMINDER_HOUR, once per local day, and
    queue the weekly digest once per week on or after DIGEST_WEEKDAY. A tick missed (beat down) is caught up
    by the next one; ticks after the day's run cost one query per agency.
    """
    now = now or timezone.now()
    totals = {"reminders": 0, "digests": 0}
    for agency in Agency.objects.all():
        local = timezone.localtime(now, agency.zone)
        if local.hour < settings.REMINDER_HOUR:
            continue
        today = local.date()
        with transaction.atomic():
            run, created = SweepRun.objects.get_or_create(agency=agency, kind=SweepRun.Kind.REMINDERS, day=today)
            if created:
                run.queued = sweep(agencies=[agency], today=today)
                run.save(update_fields=["queued"])
                totals["reminders"] += run.queued
        week = digest_day(today=today, weekday=settings.DIGEST_WEEKDAY)
        if today >= week:
            with transaction.atomic():
                run, created = SweepRun.objects.get_or_create(agency=agency, kind=SweepRun.Kind.DIGEST, day=week)
                if created:
                    run.queued = queue_digests(agency=agency, today=today)
                    run.save(update_fields=["queued"])
                    totals["digests"] += run.queued
    return totals


def ensure_defaults(*, using: str) -> None:
    """This app's reference data (common.reference_data): the sweep's and the outbox's schedules."""
    ensure_periodic_tasks(SCHEDULES, using=using)
