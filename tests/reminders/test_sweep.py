"""The sweep: idempotent, catches up after a missed day, survives the broker being down (issue 9)."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from notifications.models import OutboxMessage
from reminders.services import due_reminders, sweep
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def _first_day_with_reminders(world):
    for offset in range(0, 400, 5):
        if due_reminders(agency=world.agency, today=TODAY + timedelta(days=offset)):
            return TODAY + timedelta(days=offset)
    pytest.skip("the world fixture has no obligation entering a reminder stage")


def test_two_sweeps_queue_nothing_twice(world):
    day = _first_day_with_reminders(world)
    first = sweep(agencies=[world.agency], today=day)
    assert first > 0
    assert sweep(agencies=[world.agency], today=day) == 0
    assert OutboxMessage.objects.filter(agency=world.agency).count() == first


def test_dry_run_writes_nothing(world):
    day = _first_day_with_reminders(world)
    assert sweep(agencies=[world.agency], today=day, dry_run=True) > 0
    assert not OutboxMessage.objects.exists()


def test_command_prints_count(world, capsys):
    day = _first_day_with_reminders(world)
    call_command("send_reminders", "--agency", world.agency.ori, "--today", day.isoformat())
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert out.startswith("queued ") and out.endswith(" reminders") and out != "queued 0 reminders"


def test_command_rejects_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "yesterday")


def test_catch_up_sends_each_stage_once(world):
    day = _first_day_with_reminders(world)
    sweep(agencies=[world.agency], today=day)
    # beat down for 3 weeks: the next run queues only current stages, one per (person, obligation, object, due)
    sweep(agencies=[world.agency], today=day + timedelta(days=21))
    keys = list(OutboxMessage.objects.values_list("person_id", "obligation", "object_ref", "due_date", "stage"))
    assert len(keys) == len(set(keys))
    later = OutboxMessage.objects.filter(created_at__isnull=False).values_list("person_id", "obligation",
                                                                                "object_ref", "due_date")
    per_day = {}
    for k in later:
        per_day[k] = per_day.get(k, 0) + 1
    assert max(per_day.values()) <= 2  # at most the stage of the first run and the current stage


def test_beat_schedule_is_reference_data():
    from django_celery_beat.models import PeriodicTask

    from common.reference_data import ensure_reference_data

    ensure_reference_data()  # again: nothing is made twice
    tasks = list(PeriodicTask.objects.filter(task__in=["reminders.sweep", "notifications.deliver_outbox"])
                 .values_list("task", flat=True))
    assert sorted(tasks) == ["notifications.deliver_outbox", "reminders.sweep"]
    sweep_task = PeriodicTask.objects.get(task="reminders.sweep")
    assert (sweep_task.crontab.minute, sweep_task.crontab.hour) == ("0", "*")  # hourly; agencies at their own hour


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_queue_nothing_twice(world):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    day = _first_day_with_reminders(world)
    expected = len(due_reminders(agency=world.agency, today=day))
    barrier = threading.Barrier(2)

    def run():
        from django.db import connections

        try:
            barrier.wait()
            sweep(agencies=[world.agency], today=day)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert OutboxMessage.objects.filter(agency=world.agency).count() == expected


def test_person_page_lists_reminders_sent(world, client, login):
    from django.urls import reverse

    day = _first_day_with_reminders(world)
    sweep(agencies=[world.agency], today=day)
    msg = OutboxMessage.objects.filter(agency=world.agency).first()
    login(world.users["leds_rep"])
    page = client.get(reverse("people:detail", args=[msg.person_id]))
    assert b"Reminders sent" in page.content and msg.subject.encode() in page.content
