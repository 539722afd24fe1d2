"""Benchmark for issue 20: the whole state — 200 agencies x 100 people with five years of records.

Targets: the statewide dashboard's server time median over 20 requests <= 300 ms, and the same number of queries
at 20 and at 200 agencies; the nightly refresh of every agency on a real Celery worker (a private redis-server
as the broker) with --concurrency 1 and then 2, best of three runs each, their ratio (target >= 1.4 on two
cores); the whole bench under 20 minutes. Run on demand (PostgreSQL, redis-server on the PATH):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/statewide.py [--agencies N]
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
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _scratch  # noqa: E402
from bench._scratch import print_table, scratch_database, wait_for  # noqa: E402

TODAY = date(2026, 11, 23)
FIRST = 20  # queries are counted at this many agencies and again at all of them
RUNS = 3


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]



@contextlib.contextmanager
def private_redis(workdir: Path):
    """A redis-server of the bench's own on a free port of this machine, stopped at the end."""
    binary = shutil.which("redis-server")
    if not binary:
        raise SystemExit("bench/statewide.py needs the redis-server program (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly",
                                "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers() -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    try:
        wait_for(answers, timeout=10, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def celery_worker(*, db_url: str, redis_url: str, concurrency: int, workdir: Path):
    """``celery -A ledsadmin worker --concurrency N`` (prefork) on production settings, stopped at the end."""
    return _scratch.celery_worker(["--pool=prefork", f"--concurrency={concurrency}", "--prefetch-multiplier=1"],
                                  name=f"worker-{concurrency}", db_url=db_url, redis_url=redis_url, workdir=workdir)


def build_agency_extras(agency, index: int, rng: random.Random, auditor_user):
    """What the statewide row reads besides people: role holders, an audit with findings, an agreement with its
    signing official, a validation list, a security-log review."""
    from accounts.models import SecurityLogReview, User
    from agreements.models import Agreement, AgreementSignatory
    from audit.models import Audit, Finding
    from people.models import Membership, Person
    from validations.models import ValidationCycle

    rep = User.objects.create_user(username=f"rep{index}", email=f"rep{index}@agency{index}.example",
                                   first_name="Rep", last_name=f"Agency{index}")
    laso = User.objects.create_user(username=f"laso{index}", email=f"laso{index}@agency{index}.example")
    Membership.objects.bulk_create([
        Membership(user=rep, agency=agency, role=Membership.Role.LEDS_REPRESENTATIVE),
        Membership(user=laso, agency=agency, role=Membership.Role.LASO),
    ])
    audit = Audit.objects.create(agency=agency, audited_on=TODAY - timedelta(days=rng.randint(30, 4 * 365)))
    Finding.objects.bulk_create([Finding(audit=audit, summary=f"Finding {n}",
                                         completed_on=None if n % 2 else audit.audited_on + timedelta(days=60))
                                 for n in range(rng.randint(0, 4))])
    agreement = Agreement.objects.create(agency=agency, kind=Agreement.Kind.LEDS_USER, title="LEDS User Agreement",
                                         effective_on=TODAY - timedelta(days=rng.randint(30, 900)))
    head = Person.objects.filter(agency=agency).order_by("pk").first()
    AgreementSignatory.objects.create(agreement=agreement, person=head, name="Chief", signer_title="Chief of Police",
                                      is_signing_official=True, signed_on=agreement.effective_on)
    received = TODAY - timedelta(days=rng.randint(5, 60))
    ValidationCycle.objects.create(agency=agency, received_on=received, due_on=received + timedelta(days=30))
    from django.utils import timezone

    at = timezone.now() - timedelta(days=rng.randint(1, 20))
    SecurityLogReview.objects.create(agency=agency, reviewed_by=auditor_user, reviewed_at=at, period_start=at,
                                     period_end=at, events_reviewed=10)


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as a live database has them (autovacuum would, later):
    without them PostgreSQL joins 60,000 rows by nested loop and one agency takes seconds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def state_auditor_client(home):
    from allauth.mfa.models import Authenticator
    from django.test import Client

    from accounts.models import User
    from people.models import Membership

    user = User.objects.create_user(username="state_auditor", password="bench-password-1")
    Membership.objects.create(user=user, agency=home, role=Membership.Role.STATE_AUDITOR)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "bench"})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time(), "username": "state_auditor"},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session.save()
    return user, client


def dashboard_figures(client) -> tuple[float, int]:
    """(median ms over 20 requests, queries of one request) of the statewide dashboard."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get("/statewide/").status_code == 200  # warm
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get("/statewide/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get("/statewide/")
    return statistics.median(timings), len(ctx.captured_queries)


def timed_refresh(agency_count: int) -> float:
    """Queue the nightly refresh (a group of one task per agency) and wait until every agency is recomputed."""
    from compliance.models import AgencyComputation
    from compliance.tasks import refresh_obligations

    AgencyComputation.objects.update(computed_at=None)
    started = time.perf_counter()
    refresh_obligations.apply_async()

    def done() -> bool:
        return AgencyComputation.objects.filter(computed_at__isnull=False).count() >= agency_count

    wait_for(done, timeout=600, what="the refresh of every agency", interval=0.05)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--people", type=int, default=100)
    args = parser.parse_args()
    # a stopped bench still stops its worker and redis-server and drops its database (the finally blocks)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench_started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="bench_statewide_"))
    try:
        results = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(args, bench_started, *results)


def run(args, workdir: Path):
    with private_redis(workdir) as redis_url:
        os.environ["REDIS_URL"] = redis_url  # the bench queues on the same broker the workers read
        with scratch_database("bench_statewide") as db_url:
            from django.conf import settings

            from bench.compliance import build_agency
            from compliance.obligations import refresh_all
            from compliance.selectors import agency_today
            from ledsadmin.celery import app
            from people.models import Agency, Person

            settings.ALLOWED_HOSTS = ["testserver", "localhost"]
            app.conf.task_always_eager = False  # test settings run tasks inline; here a real worker runs them
            rng = random.Random(20)
            started = time.perf_counter()
            records, auditor, client = 0, None, None
            for index in range(args.agencies):
                agency, made = build_agency(f"OR{index + 1:07d}", f"Agency {index + 1:03d}", args.people, rng)
                records += made
                if auditor is None:  # the state auditor's own membership is in the first agency
                    auditor, client = state_auditor_client(agency)
                    home = agency
                build_agency_extras(agency, index, rng, auditor)
                if index + 1 == FIRST:
                    analyze()
                    refresh_all()
                    median_20, queries_20 = dashboard_figures(client)
            analyze()
            build_s = time.perf_counter() - started
            people = Person.objects.count()
            today = agency_today(home)
            times = {}
            for concurrency in (1, 2):
                with celery_worker(db_url=db_url, redis_url=redis_url, concurrency=concurrency, workdir=workdir):
                    times[concurrency] = [timed_refresh(args.agencies) for _ in range(RUNS)]
            median_all, queries_all = dashboard_figures(client)
            from compliance.models import StoredObligation

            stored = StoredObligation.objects.count()
            assert Agency.objects.count() == args.agencies
    return people, records, stored, today, build_s, median_20, median_all, queries_20, queries_all, times


def report(args, bench_started, people, records, stored, today, build_s, median_20, median_all, queries_20,
           queries_all, times):
    best_1, best_2 = min(times[1]), min(times[2])
    speedup = best_1 / best_2
    total_s = time.perf_counter() - bench_started
    print_table([
        ("agencies", args.agencies), ("people", people), ("records (5 years)", records),
        ("stored obligations", stored), ("today (state)", today), ("data built in", f"{build_s:.1f} s"),
        ("statewide dashboard median, 20 agencies", f"{median_20:.0f} ms"),
        (f"statewide dashboard median, {args.agencies} agencies", f"{median_all:.0f} ms (target <= 300 ms)"),
        ("queries at 20 / all agencies", f"{queries_20} / {queries_all} (target: equal)"),
        ("refresh, 1 worker process (3 runs)", ", ".join(f"{t:.1f} s" for t in times[1])),
        ("refresh, 2 worker processes (3 runs)", ", ".join(f"{t:.1f} s" for t in times[2])),
        ("speedup, best of three", f"{speedup:.2f} (target >= 1.4)"),
        ("whole bench", f"{total_s / 60:.1f} min (target < 20 min)"),
    ])
    print(json.dumps({"agencies": args.agencies, "people": people, "records": records,
                      "state_dashboard_median_ms": round(median_all, 1), "state_dashboard_queries_20": queries_20,
                      f"state_dashboard_queries_{args.agencies}": queries_all,
                      "refresh_1_worker_s": round(best_1, 2), "refresh_2_workers_s": round(best_2, 2),
                      "refresh_speedup": round(speedup, 2), "bench_minutes": round(total_s / 60, 1)}))


if __name__ == "__main__":
    main()
