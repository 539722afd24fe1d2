"""The daily reminder sweep: ask the compliance engine what is due and queue it in the outbox (issue 9)."""

from datetime import date

from django.db import transaction

from compliance import engine
from compliance.selectors import agency_compliance, agency_today, rule_table
from notifications.models import OutboxMessage
from notifications.services import _schedule_delivery
from people.models import Agency, Person

from .rules import reminder_stage

REMINDER_STATUSES = {engine.DUE_SOON, engine.OVERDUE}


def due_reminders(*, agency: Agency, today: date) -> list[OutboxMessage]:
    """The outbox rows the sweep would queue for one agency today (unsaved), in a fixed number of queries."""
    people = Person.objects.filter(agency=agency)
    contacts = {row["pk"]: row for row in people.values("pk", "email", "first_name", "last_name", "supervisor_id")}
    rules = rule_table()
    rows = []
    for result in agency_compliance(people=people.exclude(status=Person.Status.SEPARATED), agency=agency,
                                    today=today):
        contact = contacts.get(result.person.pk)
        if not contact or not contact["email"]:
            continue  # listed for the LEDS Representative instead (people_without_email)
        for item in result.obligations:
            if item.status not in REMINDER_STATUSES:
                continue
            rule = rules.get(item.obligation)
            stage = reminder_stage(due=item.due, today=today, lead_days=rule.lead_days if rule else (),
                                   overdue_repeat_days=rule.overdue_repeat_days if rule else 7)
            if stage is None:
                continue
            cc = []
            supervisor = contacts.get(contact["supervisor_id"])
            if item.status == engine.OVERDUE and supervisor and supervisor["email"]:
                cc = [supervisor["email"]]  # the supervisor is copied on overdue items (issue 9)
            rows.append(OutboxMessage(
                agency=agency, person_id=contact["pk"], obligation=item.obligation, object_ref=item.key or "",
                due_date=item.due, stage=stage, to=[contact["email"]], cc=cc,
                subject=f"LEDS: {item.title or item.obligation} {'overdue' if item.status == engine.OVERDUE else 'due'}"
                        f" {item.due:%Y-%m-%d}",
                template="email/reminder",
                context={"name": contact["first_name"], "title": item.title, "rule_id": item.rule_id,
                         "due": f"{item.due:%Y-%m-%d}", "overdue": item.status == engine.OVERDUE,
                         "flag": item.flag, "path": f"/people/{contact['pk']}/"},
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
            OutboxMessage.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
            total += OutboxMessage.objects.filter(agency=agency).count() - before
            transaction.on_commit(_schedule_delivery)
    return total


def people_without_email(*, agency: Agency):
    """People the sweep cannot reach (no address), and reminders whose address finally failed."""
    missing = Person.objects.filter(agency=agency, email="").exclude(status=Person.Status.SEPARATED)
    failed = OutboxMessage.objects.filter(agency=agency, status=OutboxMessage.Status.FAILED,
                                          person__isnull=False).select_related("person")
    return missing, failed
