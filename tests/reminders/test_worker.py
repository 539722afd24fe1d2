"""Against real processes (issue 9): beat → sweep → a real Celery worker → an SMTP server; an SMTP server that
was down; Redis stopped while the sweep runs. Each test starts its own redis-server and SMTP server on free ports
and never touches the shared Redis.
"""

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import OutboxMessage
from people.factories import PersonFactory
from tests.processes import (
    BASE_DIR,
    celery_worker,
    every_seconds,
    process_env,
    wait_for,
    worker_log,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.django_db(transaction=True)]
UNSENT = [OutboxMessage.Status.QUEUED, OutboxMessage.Status.RETRY, OutboxMessage.Status.SENDING]


def _emails_expected() -> int:
    """One e-mail per group (a person's morning of reminders), one per other row (digests)."""
    rows = OutboxMessage.objects.values_list("pk", "group_key")
    return len({group or f"row:{pk}" for pk, group in rows})


def _all_sent():
    return OutboxMessage.objects.exists() and not OutboxMessage.objects.filter(status__in=UNSENT).exists()


def test_beat_runs_the_sweep_and_a_real_worker_delivers_one_email_per_person(world, redis, smtp, tmp_path):
    newcomer = PersonFactory(agency=world.agency, assigned_on=timezone.localdate() - timedelta(days=25),
                             email="new.hire@example.org", supervisor=world.people["supervisor"])
    every_seconds("reminders.sweep")
    every_seconds("notifications.deliver_outbox")
    smtp.start()
    env = process_env(redis_url=redis.url, smtp_port=smtp.port, workdir=tmp_path, REMINDER_HOUR=0)
    with celery_worker(env, tmp_path):
        try:
            wait_for(_all_sent, timeout=90, what="beat's sweep and the worker's delivery")
            wait_for(lambda: len(smtp.messages) >= _emails_expected(), timeout=30, what="every e-mail at SMTP")
            time.sleep(5)  # two more beat ticks of both tasks: nothing may be queued or sent twice
        except AssertionError:
            raise AssertionError(worker_log(tmp_path)) from None
    reminders = OutboxMessage.objects.filter(person=newcomer, to=["new.hire@example.org"])  # theirs (issue 22)
    assert reminders.count() >= 2
    assert len(smtp.messages) == _emails_expected()
    to_newcomer = [message for rcpt, message in smtp.messages if "new.hire@example.org" in rcpt]
    assert len(to_newcomer) == 1  # one e-mail listing every item, not one per obligation
    body = smtp.body(to_newcomer[0])
    for row in reminders:
        assert row.context["title"] in body and row.context["rule_id"] in body
    keys = list(OutboxMessage.objects.exclude(stage="").values_list("person_id", "obligation", "object_ref",
                                                                   "due_date", "stage"))
    assert len(keys) == len(set(keys))


def test_smtp_down_then_up_loses_nothing_and_doubles_nothing(world, redis, smtp, tmp_path):
    for n in range(3):
        OutboxMessage.objects.create(agency=world.agency, to=[f"person{n}@example.org"], subject=f"Notice {n}",
                                     template="email/message", context={"body": f"notice number {n}"},
                                     key=f"test-notice:{n}")
    every_seconds("notifications.deliver_outbox")
    env = process_env(redis_url=redis.url, smtp_port=smtp.port, workdir=tmp_path, OUTBOX_BACKOFF_BASE_SECONDS=1)
    with celery_worker(env, tmp_path):
        try:
            wait_for(lambda: OutboxMessage.objects.filter(status=OutboxMessage.Status.RETRY).count() == 3,
                     timeout=60, what="the first failed tries while the SMTP server is down")
            assert "ConnectionRefusedError" in OutboxMessage.objects.first().last_error
            smtp.start()  # the mail server comes back
            wait_for(_all_sent, timeout=60, what="delivery after the SMTP server returned")
            time.sleep(4)
        except AssertionError:
            raise AssertionError(worker_log(tmp_path)) from None
    assert sorted(rcpt[0] for rcpt, _message in smtp.messages) == [f"person{n}@example.org" for n in range(3)]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    # the tries while the server was down were put off, not counted against the row
    assert all(row.deferrals >= 1 and row.attempts == 1 for row in OutboxMessage.objects.all())


def test_redis_stopped_during_a_sweep_then_delivery_catches_up(world, redis, smtp, tmp_path):
    PersonFactory(agency=world.agency, assigned_on=timezone.localdate() - timedelta(days=25),
                  email="new.hire@example.org")
    env = process_env(redis_url=redis.url, smtp_port=smtp.port, workdir=tmp_path)
    redis.stop()  # the broker is down while the sweep runs
    result = subprocess.run([sys.executable, "manage.py", "send_reminders", "--agency", world.agency.ori],
                            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("queued ") and last != "queued 0 reminders"
    assert "Traceback" not in result.stderr
    queued = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count()
    assert queued == int(last.split()[1])  # the outbox holds every reminder although nothing could be scheduled
    redis.start()  # Redis returns: beat's outbox run catches up
    smtp.start()
    every_seconds("notifications.deliver_outbox")
    with celery_worker(env, tmp_path):
        try:
            wait_for(_all_sent, timeout=90, what="delivery after Redis returned")
            wait_for(lambda: len(smtp.messages) >= _emails_expected(), timeout=30, what="every e-mail at SMTP")
            time.sleep(4)
        except AssertionError:
            raise AssertionError(worker_log(tmp_path)) from None
    assert len(smtp.messages) == _emails_expected()
