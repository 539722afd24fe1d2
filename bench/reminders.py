"""Benchmark for issues 9 and 18: the reminder sweep over 50,000 people, delivery of 5,000 e-mails, and faults.

Targets: the sweep <= 20 s with the same number of queries at 1,000 and at 50,000 people; delivery of 5,000 queued
e-mails to a local SMTP server (aiosmtpd, in its own process) at >= 200 e-mails/s by one worker process, with no
duplicate.

Fault run (issue 18): a real Celery worker (2 processes, beat embedded, production settings: 60 s lease, 20-row
claims, 20 s task budget, beat's minute tick) delivers 3,000 e-mails; it is killed with SIGKILL mid-batch and
started again. Targets: lost 0, duplicates <= 2 (the e-mail each process had in flight), the longest time from
queueing to arrival <= 300 s. Then a registration is made while the broker (Redis) is stopped: <= 1000 ms.

Needs PostgreSQL and the redis-server program (a private one is started on a spare port):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reminders.py [--people N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database, wait_for

SINK = """
import asyncio, sys
from aiosmtpd.controller import Controller

class Count:
    def __init__(self):
        self.subjects = []
    async def handle_DATA(self, server, session, envelope):
        for line in envelope.content.split(b"\\n"):
            if line.startswith(b"Subject:"):
                self.subjects.append(line.strip().decode())
                break
        return "250 OK"

class Log:
    # the fault run's sink: every message's Message-ID and arrival time, as JSON at the end
    def __init__(self):
        self.subjects = []
        self.arrivals = []
    async def handle_DATA(self, server, session, envelope):
        import time
        from email.parser import BytesHeaderParser
        headers = BytesHeaderParser().parsebytes(envelope.content)
        self.arrivals.append((headers["Message-ID"], time.time()))
        self.subjects.append(headers["Subject"])
        return "250 OK"

handler = Log() if len(sys.argv) > 2 and sys.argv[2] == "log" else Count()
controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.readline()  # the bench asks for the figures, then the sink stops
if isinstance(handler, Log):
    import json
    print(json.dumps(handler.arrivals), flush=True)
else:
    print(len(handler.subjects), len(set(handler.subjects)), flush=True)
controller.stop()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure_sweep(agency, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import OutboxMessage
    from reminders.services import sweep

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        queued = sweep(agencies=[agency], today=today)
        seconds = time.perf_counter() - started
    again = sweep(agencies=[agency], today=today)  # idempotent: the second sweep queues nothing
    rows = OutboxMessage.objects.filter(agency=agency).count()
    return seconds, len(ctx.captured_queries), queued, again, rows


def measure_delivery(emails: int):
    from django.conf import settings

    from notifications import services
    from notifications.models import OutboxMessage

    OutboxMessage.objects.all().delete()  # the sweep's rows are not part of this figure (scratch database)
    OutboxMessage.objects.bulk_create(
        OutboxMessage(to=[f"person{n}@example.org"], subject=f"LEDS reminder {n}", template="email/reminder",
                      key=f"bench:{n}", context={"name": "Pat", "title": "Recertification", "rule_id": "R-CE-4",
                                                 "due": "2026-12-01", "overdue": False, "flag": "Due 2026-12-01",
                                                 "path": "/people/1/"})
        for n in range(emails))
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    assert sink.stdout.readline().strip() == "ready"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    started = time.perf_counter()
    counts = services.deliver(budget_seconds=3600)  # the task's work, as one worker process does it, unbounded
    seconds = time.perf_counter() - started
    sink.stdin.write("figures\n")
    sink.stdin.flush()
    received, distinct = (int(n) for n in sink.stdout.readline().split())
    sink.wait(10)
    sent_rows = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()
    return seconds, counts, received, distinct, sent_rows


class PrivateRedis:
    """A redis-server of the bench's own on a spare port (broker and cache), so the bench may stop it."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if not binary:
            raise SystemExit("the fault run needs the redis-server program (apt-get install redis-server)")
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def worker_env(*, db_url: str, redis_url: str, smtp_port: int, workdir: Path) -> dict:
    """A production-like worker: ledsadmin.settings with DEBUG off and every OUTBOX_* default."""
    from django.conf import settings

    env = {key: value for key, value in os.environ.items() if not key.startswith("OUTBOX_")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "ledsadmin.settings", "DEBUG": "0", "ALLOWED_HOSTS": "localhost",
        "SECRET_KEY": "bench-worker-secret-key-not-for-any-deployment-0123456789",
        "MFA_ENCRYPTION_KEY": "bench-worker-mfa-key-not-for-any-deployment", "DATABASE_URL": db_url,
        "CONN_MAX_AGE": "0", "REDIS_URL": redis_url, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "VAR_DIR": str(workdir / "var"), "CELERY_TASK_ALWAYS_EAGER": "false", "SITE_URL": settings.SITE_URL,
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start_worker(env: dict, workdir: Path, name: str):
    command = [sys.executable, "-m", "celery", "-A", "ledsadmin", "worker", "--pool=prefork", "--concurrency=2",
               "--beat", "--schedule", str(workdir / f"{name}-beat"), "--loglevel=INFO", "--without-gossip",
               "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h"]
    with open(workdir / f"{name}.log", "w") as log:
        return subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent, env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def fault_run(*, db_url: str, redis: PrivateRedis, emails: int, workdir: Path) -> dict:
    """Kill a worker (2 processes) with SIGKILL mid-batch, start it again, count what arrived and when."""
    import redis as redis_client
    from django_celery_beat.models import PeriodicTask

    from notifications.models import OutboxMessage
    from notifications.services import message_id
    from notifications.tasks import deliver_outbox

    Status = OutboxMessage.Status
    OutboxMessage.objects.all().delete()
    # beat runs only the outbox's minute tick here (the sweep would sweep 51,000 people inside the worker)
    PeriodicTask.objects.exclude(task="notifications.deliver_outbox").update(enabled=False)
    PeriodicTask.objects.filter(task="notifications.deliver_outbox").update(last_run_at=None)
    redis_client.Redis.from_url(redis.url).flushdb()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(to=[f"person{n}@example.org"], subject=f"LEDS notice {n}", template="email/message",
                      key=f"fault:{n}", context={"body": f"notice {n}"}) for n in range(emails))
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(port), "log"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert sink.stdout.readline().strip() == "ready"
    env = worker_env(db_url=db_url, redis_url=redis.url, smtp_port=port, workdir=workdir)
    sent = OutboxMessage.objects.filter(status=Status.SENT)
    worker = start_worker(env, workdir, "fault-first")
    started = time.time()
    try:
        for _ in range(2):  # two requests' "deliver now": one for each process
            deliver_outbox.apply_async()
        wait_for(lambda: sent.count() >= emails // 3, timeout=120, what="the first worker to deliver a third")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)  # kill -9, the pool's children too
        worker.wait(10)
    killed_at = time.time()
    stranded = OutboxMessage.objects.filter(status=Status.SENDING).count()
    sent_at_kill = sent.count()
    worker = start_worker(env, workdir, "fault-second")
    try:
        wait_for(lambda: not OutboxMessage.objects.exclude(status=Status.SENT).exists(), timeout=420,
                 what="the restarted worker to deliver everything", interval=0.5)
        time.sleep(2)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    done_at = time.time()
    sink.stdin.write("figures\n")
    sink.stdin.flush()
    arrivals = json.loads(sink.stdout.readline())
    sink.wait(10)
    first: dict[str, float] = {}
    for mid, at in arrivals:
        first[mid] = min(first.get(mid, at), at)
    rows = list(OutboxMessage.objects.all())
    expected = {message_id([row]): row.created_at.timestamp() for row in rows}
    delays = [first[mid] - queued for mid, queued in expected.items() if mid in first]
    return {
        "fault_sent": sum(row.status == Status.SENT for row in rows),
        "fault_received": len(arrivals),
        "fault_duplicates": len(arrivals) - len(first),
        "fault_lost": len(set(expected) - set(first)),
        "max_delay_s": round(max(delays), 1) if delays else None,
        "fault_stranded_at_kill": stranded,
        "fault_sent_before_kill": sent_at_kill,
        "fault_killed_after_s": round(killed_at - started, 1),
        "fault_all_sent_after_kill_s": round(max(first.values()) - killed_at, 1) if first else None,
        "fault_run_s": round(done_at - started, 1),
    }


def broker_down_request(*, redis: PrivateRedis) -> dict:
    """One registration (an e-mail queued, delivery scheduled after commit) with the broker up, then stopped."""
    from django.test import Client

    from bench.registration_race import make_users
    from training_events.factories import TrainingEventFactory

    _agency, sessions = make_users(4)
    event = TrainingEventFactory(seat_cap=14, title="Broker-down registration (bench)")

    def register(session_key: str) -> float:
        client = Client()
        client.cookies["sessionid"] = session_key
        started = time.perf_counter()
        response = client.post(f"/training/{event.pk}/register/")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code >= 400:
            raise SystemExit(f"registration answered {response.status_code}")
        return elapsed

    register(sessions[0])  # warm up (templates, first connections)
    up = register(sessions[1])
    redis.stop()  # the broker (and the cache) are down
    down = register(sessions[2])
    down_again = register(sessions[3])
    return {"broker_up_request_ms": round(up, 1), "broker_down_request_ms": round(down, 1),
            "broker_down_next_request_ms": round(down_again, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--emails", type=int, default=5_000)
    parser.add_argument("--fault-emails", type=int, default=3_000)
    args = parser.parse_args()
    bench_started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench_reminders_"))
    redis = PrivateRedis(workdir)
    redis.start()
    os.environ["REDIS_URL"] = redis.url  # broker and cache, as in production, before Django reads its settings
    try:
        with scratch_database("bench_reminders") as db_url:
            from django.db.models import F, Value
            from django.db.models.functions import Concat

            from bench.compliance import TODAY, build_agency
            from ledsadmin.celery import app
            from people.models import Person

            # "deliver now" goes to the private Redis; no worker reads it until the fault run (which flushes it)
            app.conf.task_always_eager = False
            rng = random.Random(9)
            started = time.perf_counter()
            small, _ = build_agency("OR0001000", "Small agency", 1_000, rng)
            large, records = build_agency("OR0050000", "Large agency", args.people, rng)
            Person.objects.update(email=Concat(F("employee_id"), Value("@example.org")))
            build_s = time.perf_counter() - started
            _s, queries_small, _queued_small, _again, _rows = measure_sweep(small, TODAY)
            sweep_s, queries_large, queued, again, rows = measure_sweep(large, TODAY)
            delivery_s, counts, received, distinct, sent_rows = measure_delivery(args.emails)
            fault = fault_run(db_url=db_url, redis=redis, emails=args.fault_emails, workdir=workdir)
            broker = broker_down_request(redis=redis)
    finally:
        redis.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    total_s = time.perf_counter() - bench_started
    emails_per_s = args.emails / delivery_s
    duplicates = received - distinct
    print_table([
        ("people", args.people), ("records", records), ("data built in", f"{build_s:.1f} s"),
        ("sweep", f"{sweep_s:.2f} s (target <= 20 s), {queued} reminders queued"),
        ("sweep queries at 1,000 / N people", f"{queries_small} / {queries_large}"),
        ("second sweep the same day", f"{again} queued ({rows} rows in the outbox)"),
        ("e-mails delivered", f"{counts['sent']} sent, {counts['retry']} retry, {counts['failed']} failed"),
        ("delivery", f"{delivery_s:.2f} s = {emails_per_s:.0f} e-mails/s (target >= 200)"),
        ("received by SMTP / distinct / rows sent", f"{received} / {distinct} / {sent_rows}"),
        ("duplicates", duplicates),
        ("fault run: worker (2 processes) killed", f"after {fault['fault_killed_after_s']} s, "
                                                   f"{fault['fault_sent_before_kill']} sent, "
                                                   f"{fault['fault_stranded_at_kill']} claimed rows stranded"),
        ("fault run: sent / received / lost", f"{fault['fault_sent']} / {fault['fault_received']} / "
                                              f"{fault['fault_lost']} (target lost 0)"),
        ("fault run: duplicates", f"{fault['fault_duplicates']} (target <= 2)"),
        ("fault run: longest queue-to-arrival", f"{fault['max_delay_s']} s (target <= 300 s)"),
        ("registration, broker up / down / next", f"{broker['broker_up_request_ms']} / "
                                                  f"{broker['broker_down_request_ms']} / "
                                                  f"{broker['broker_down_next_request_ms']} ms (target <= 1000)"),
        ("whole bench", f"{total_s:.0f} s (target < 720 s)"),
    ])
    print(json.dumps({"people": args.people, "sweep_s": round(sweep_s, 2), "sweep_queries_1000": queries_small,
                      "sweep_queries_50000": queries_large, "reminders_queued": queued, "second_sweep_queued": again,
                      "emails": args.emails, "emails_per_s": round(emails_per_s, 1), "delivery_s": round(delivery_s, 2),
                      "received": received, "duplicates": duplicates, **fault, **broker,
                      "bench_s": round(total_s, 1)}))


if __name__ == "__main__":
    main()
