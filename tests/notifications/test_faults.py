"""Fault injection against real processes (issue 18): a real Celery worker (with beat) on the test database, a
private redis-server on a spare port, and an aiosmtpd sink the test stops, slows and restarts.

Backoff, lease and tick are scaled down by settings so each test runs in seconds: one simulated minute of backoff
is 0.2 s (OUTBOX_BACKOFF_BASE_SECONDS=0.2, cap 1 s for the 5 minutes of production).
"""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from notifications.models import OutboxMessage
from tests.processes import (
    celery_worker,
    every_seconds,
    kill_worker,
    process_env,
    wait_for,
    worker_log,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis,
              pytest.mark.django_db(transaction=True)]
Status = OutboxMessage.Status
SIMULATED_MINUTE = 0.2  # seconds
FAST = {"OUTBOX_BACKOFF_BASE_SECONDS": SIMULATED_MINUTE, "OUTBOX_BACKOFF_MAX_SECONDS": 5 * SIMULATED_MINUTE}


def _notices(agency, n, prefix="notice"):
    return [OutboxMessage.objects.create(agency=agency, to=[f"{prefix}{i}@example.org"], subject=f"Notice {i}",
                                         template="email/message", context={"body": f"notice {i}"},
                                         key=f"{prefix}:{i}")
            for i in range(n)]


def _expected_ids(domain="localhost"):
    """The Message-ID of every e-mail the outbox holds (one per group, one per other row)."""
    firsts: dict[str, int] = {}
    for pk, group in OutboxMessage.objects.values_list("pk", "group_key"):
        unit = group or f"row:{pk}"
        firsts[unit] = min(firsts.get(unit, pk), pk)
    return {f"<leds-outbox-{pk}@{domain}>" for pk in firsts.values()}


def _all_sent():
    return OutboxMessage.objects.exists() and not OutboxMessage.objects.exclude(status=Status.SENT).exists()


def test_smtp_down_30_simulated_minutes_then_everything_is_delivered_and_nothing_failed(world, redis, smtp,
                                                                                         tmp_path):
    _notices(world.agency, 12)
    every_seconds("notifications.deliver_outbox", 1)
    env = process_env(redis_url=redis.url, smtp_port=smtp.port, workdir=tmp_path, **FAST)
    with celery_worker(env, tmp_path):
        try:
            wait_for(lambda: OutboxMessage.objects.filter(deferrals__gt=0).exists(), timeout=60,
                     what="the first tries while the SMTP server is down")
            time.sleep(30 * SIMULATED_MINUTE)  # the server stays down "30 minutes"
            assert not OutboxMessage.objects.filter(status__in=[Status.FAILED, Status.SENT]).exists()
            # the old rule (5 attempts over 1+2+4+8 minutes) would have failed them by now
            assert max(OutboxMessage.objects.values_list("deferrals", flat=True)) >= 5
            assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {0}
            smtp.answer = "451 4.3.0 Try again later"  # it comes back busy, then well
            smtp.start()
            wait_for(lambda: OutboxMessage.objects.filter(last_error__startswith="451").exists(), timeout=30,
                     what="a temporary answer")
            smtp.answer = None
            wait_for(_all_sent, timeout=30, what="delivery after the SMTP server returned")
            time.sleep(1)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path)}") from None
    assert not OutboxMessage.objects.filter(status=Status.FAILED).exists()
    assert sorted(smtp.message_ids()) == sorted(_expected_ids())  # each once


def test_a_killed_worker_strands_nothing_and_repeats_only_the_email_in_flight(world, redis, smtp, tmp_path):
    lease = 3
    _notices(world.agency, 30)
    every_seconds("notifications.deliver_outbox", 1)
    smtp.delay = 0.15  # a slow server: the worker is mid-batch when it is killed
    smtp.start()
    env = process_env(redis_url=redis.url, smtp_port=smtp.port, workdir=tmp_path, OUTBOX_LEASE_SECONDS=lease,
                      OUTBOX_CLAIM_SIZE=8, **FAST)
    with celery_worker(env, tmp_path, name="first") as first:
        try:
            wait_for(lambda: len(smtp.messages) >= 3, timeout=60, what="the first worker to start delivering")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path, 'first')}") from None
        kill_worker(first)
        killed_at = time.time()
    stranded = set(OutboxMessage.objects.filter(status=Status.SENDING).values_list("pk", flat=True))
    assert stranded, "the kill came after the batch: nothing was in flight"
    with celery_worker(env, tmp_path, name="second"):
        try:
            wait_for(_all_sent, timeout=60, what="the second worker to deliver everything")
            time.sleep(1)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path, 'second')}") from None
    ids = smtp.message_ids()
    assert set(ids) == _expected_ids()  # nothing lost
    repeats = [message_id for message_id in set(ids) if ids.count(message_id) > 1]
    assert len(ids) - len(set(ids)) <= 1  # at most the one e-mail in flight, with the same Message-ID
    assert all(ids.count(message_id) == 2 for message_id in repeats)
    late = OutboxMessage.objects.filter(pk__in=stranded).values_list("sent_at", flat=True)
    # the stranded claim went out once its lease expired, not 30 minutes later
    assert max(late) <= datetime.fromtimestamp(killed_at, tz=UTC) + timedelta(seconds=lease + 15)


def test_two_workers_never_split_a_persons_morning(world, redis, smtp, tmp_path):
    people, items = 40, 3
    for item in range(items):  # interleaved ids: a person's rows are far apart, so a LIMIT cuts across groups
        for person in range(people):
            OutboxMessage.objects.create(
                agency=world.agency, to=[f"person{person}@example.org"], subject=f"Item {item}",
                template="email/reminder", key=f"morning:{person}:{item}", group_key=f"reminders:{person}:today",
                context={"name": "Pat", "title": f"Requirement {item}", "rule_id": "R-CE-4", "due": "2026-12-01",
                         "overdue": False, "flag": "Due 2026-12-01", "path": "/people/1/"})
    every_seconds("notifications.deliver_outbox", 1)
    smtp.delay = 0.05  # each task runs a while, so both workers claim at once
    smtp.start()
    env = process_env(redis_url=redis.url, smtp_port=smtp.port, workdir=tmp_path, OUTBOX_CLAIM_SIZE=4,
                      OUTBOX_TASK_BUDGET_SECONDS=1, **FAST)
    with celery_worker(env, tmp_path, name="one"), celery_worker(env, tmp_path, name="two", beat=False):
        try:
            wait_for(_all_sent, timeout=90, what="both workers to deliver everything")
            time.sleep(1)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path, 'one')}\n{worker_log(tmp_path, 'two')}") from None
    per_person = {}
    for rcpt, message in smtp.messages:
        per_person.setdefault(rcpt[0], []).append(message)
    assert len(per_person) == people
    assert all(len(messages) == 1 for messages in per_person.values())  # one e-mail per person, never two
    assert all(f"{items} requirements need your attention" in messages[0]["Subject"]
               for messages in per_person.values())
    logs = [(tmp_path / f"{name}.log").read_text() for name in ("one", "two")]
    sent_by = [sum(int(n) for n in re.findall(r"'sent': (\d+)", log)) for log in logs]
    assert all(sent_by), f"both workers should have delivered: {sent_by}"
    # each delivery task stopped after its time budget (1 s here), give or take the e-mail it was sending
    runs = [float(s) for log in logs for s in re.findall(r"deliver_outbox\[[^\]]+\] succeeded in ([\d.]+)s", log)]
    assert runs and max(runs) < 1 + 2, runs
