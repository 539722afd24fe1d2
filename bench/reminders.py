"""Benchmark for issue 9: the reminder sweep over 50,000 people and delivery of 5,000 e-mails.

Targets: the sweep <= 20 s with the same number of queries at 1,000 and at 50,000 people; delivery of 5,000 queued
e-mails to a local SMTP server (aiosmtpd, in its own process) at >= 200 e-mails/s by one worker process, with no
duplicate. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reminders.py [--people N]
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database

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

handler = Count()
controller = Controller(handler, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.readline()  # the bench asks for the figures, then the sink stops
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

    from notifications.models import OutboxMessage
    from notifications.tasks import deliver_outbox

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
    counts = deliver_outbox.run()  # the task body, as one worker process runs it
    seconds = time.perf_counter() - started
    sink.stdin.write("figures\n")
    sink.stdin.flush()
    received, distinct = (int(n) for n in sink.stdout.readline().split())
    sink.wait(10)
    sent_rows = OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()
    return seconds, counts, received, distinct, sent_rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--emails", type=int, default=5_000)
    args = parser.parse_args()
    with scratch_database("bench_reminders"):
        from django.db.models import F, Value
        from django.db.models.functions import Concat

        from bench.compliance import TODAY, build_agency
        from ledsadmin.celery import app
        from people.models import Person

        # Nothing here delivers on commit: the sweep's "deliver now" goes to an in-memory broker no worker reads.
        app.conf.task_always_eager = False
        app.conf.broker_url = "memory://"
        rng = random.Random(9)
        started = time.perf_counter()
        small, _ = build_agency("OR0001000", "Small agency", 1_000, rng)
        large, records = build_agency("OR0050000", "Large agency", args.people, rng)
        Person.objects.update(email=Concat(F("employee_id"), Value("@example.org")))
        build_s = time.perf_counter() - started
        _s, queries_small, _queued_small, _again, _rows = measure_sweep(small, TODAY)
        sweep_s, queries_large, queued, again, rows = measure_sweep(large, TODAY)
        delivery_s, counts, received, distinct, sent_rows = measure_delivery(args.emails)
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
    ])
    print(json.dumps({"people": args.people, "sweep_s": round(sweep_s, 2), "sweep_queries_1000": queries_small,
                      "sweep_queries_50000": queries_large, "reminders_queued": queued, "second_sweep_queued": again,
                      "emails": args.emails, "emails_per_s": round(emails_per_s, 1), "delivery_s": round(delivery_s, 2),
                      "received": received, "duplicates": duplicates}))


if __name__ == "__main__":
    main()
