"""Benchmark for issue 4: import a 10,000-row roster, re-import it, and count the roster page's queries.

Targets: import <= 10 s; re-import <= 10 s and changes nothing; the roster page issues the same number of SQL
queries at 10 and at 10,000 people. Issue 17: a 100,000-row file — the most IMPORT_MAX_ROWS allows — through the
task path of a large upload (common.imports): stored as a job, planned by a real Celery worker (solo pool, a
private redis-server as the broker, production settings), then confirmed and imported by it; the worker's peak
resident memory (VmHWM) after each, target <= 300 MB for the plan and for the confirm. The worker serves only the
import's own queue: the obligations refresh that the import queues after its commit (compliance, a task of its own)
waits in the broker instead of running in the measured process; a second solo worker then runs it alone, and its
peak memory is reported too (issue 23: people computed and stored in batches). The last line is JSON with every
figure.
Run on demand (PostgreSQL, redis-server on the PATH):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_roster.py \
        [--rows N] [--memory-rows N] [--refresh-batch N]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import celery_worker, print_table, scratch_database, wait_for
from bench.statewide import private_redis

IMPORT_QUEUE = "bench-import"  # the only queue the bench's worker serves
HEADER = "employee_id,last_name,first_name,email,position,assignment_date,role_tier,supervisor_employee_id,status\n"


def roster_csv(rows: int) -> bytes:
    rng = random.Random(4)
    lines = [HEADER]
    for i in range(rows):
        boss = f"E{rng.randrange(0, i):06d}" if i > 10 and rng.random() < 0.8 else ""
        lines.append(f"E{i:06d},Last{i},First{i},p{i}@example.org,Officer,2024-{1 + i % 12}-{1 + i % 28},"
                     f"{1 + i % 4},{boss},active\n")
    return "".join(lines).encode()


def _kib(pid: int, field: str) -> int:
    """VmHWM (peak) or VmRSS (now) of a process, in KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} for process {pid}")


def solo_worker(*, db_url: str, redis_url: str, workdir: Path):
    """``celery -A ledsadmin worker --pool=solo`` on production settings: the task runs in this one process, so
    its peak resident memory (VmHWM) is the memory a worker needs for the import."""
    return celery_worker(["--pool=solo", "-Q", IMPORT_QUEUE], name="worker", db_url=db_url, redis_url=redis_url,
                         workdir=workdir)


def task_path_memory(agency, user, rows: int, *, db_url: str, redis_url: str, workdir: Path) -> dict:
    """A ``rows``-row roster through the task path (``worker_import``), then the obligations refresh it queued."""
    from people.models import Person

    data = roster_csv(rows)
    figures = worker_import(agency, user, kind="roster", data=data, rows=rows, db_url=db_url, redis_url=redis_url,
                            workdir=workdir)
    imported = Person.objects.filter(agency=agency).count()
    if imported != rows:
        raise SystemExit(f"the worker imported {imported} people of {rows}")
    return {**figures, **refresh_memory(agency, db_url=db_url, redis_url=redis_url, workdir=workdir)}


def worker_import(agency, user, *, kind: str, data: bytes, rows: int, options: dict | None = None,
                  filename: str = "big.csv", db_url: str, redis_url: str, workdir: Path) -> dict:
    """A file of the import ``kind`` through the task path, as a large upload goes (common.imports): stored as a
    job (with the import's ``options`` as the upload page keeps them), planned by a fresh solo worker (progress on
    the row), then confirmed and applied by it. The worker's memory before, after planning and after applying (its
    peak so far), the seconds each took, and how often the progress moved; the caller checks what landed."""
    from common.tasks import run_import
    from ledsadmin.celery import app
    from people.models import ImportJob
    from people.services import ImportJobStore

    app.conf.task_always_eager = False  # the bench's test settings would run the task here, not in the worker
    with solo_worker(db_url=db_url, redis_url=redis_url, workdir=workdir) as worker:
        idle = _kib(worker.pid, "VmRSS")
        job = ImportJobStore().create(agency=agency, uploaded_by=user, kind=kind, filename=filename, data=data,
                                      options=options or {}, step="Waiting for a worker", total=rows)
        del data
        progress: set[int] = set()

        def finished(*statuses) -> bool:
            status, done = ImportJob.objects.filter(pk=job.pk).values_list("status", "done").get()
            progress.add(done)
            if status == ImportJob.Status.FAILED:
                raise SystemExit(ImportJob.objects.get(pk=job.pk).error)
            return status in statuses

        started = time.perf_counter()
        run_import.apply_async(args=[job.pk], queue=IMPORT_QUEUE)
        wait_for(lambda: finished(ImportJob.Status.PLANNED), timeout=1800, what="the plan", interval=0.2)
        plan_s = time.perf_counter() - started
        plan_peak = _kib(worker.pid, "VmHWM")
        plan = pickle.loads(ImportJob.objects.filter(pk=job.pk).values_list("plan", flat=True).get())  # noqa: S301
        if not plan.ok:  # the worker's own preview: a bench file must be clean
            raise SystemExit(f"the {kind} file has errors: {'; '.join(str(e) for e in plan.errors[:5])}")
        del plan
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CONFIRMED, done=0)
        started = time.perf_counter()
        run_import.apply_async(args=[job.pk], queue=IMPORT_QUEUE)
        wait_for(lambda: finished(ImportJob.Status.APPLIED), timeout=3600, what="the import", interval=0.5)
        apply_s = time.perf_counter() - started
        apply_peak = _kib(worker.pid, "VmHWM")
    return {"idle_mb": round(idle / 1024, 1), "plan_peak_mb": round(plan_peak / 1024, 1),
            "apply_peak_mb": round(apply_peak / 1024, 1), "plan_s": round(plan_s, 1), "apply_s": round(apply_s, 1),
            "progress_reports": len(progress)}


def refresh_memory(agency, *, db_url: str, redis_url: str, workdir: Path) -> dict:
    """The obligations refresh the import queued after its commit (compliance.refresh_stale_obligations, waiting
    in the broker's default queue), run by a solo worker of its own: its time and peak memory (VmHWM), computing
    and storing ``OBLIGATIONS_REFRESH_BATCH`` people at a time (issue 23)."""
    from compliance.models import AgencyComputation, StaleMark, StoredObligation
    from ledsadmin.celery import app

    # started on an empty queue: a solo worker busy with the refresh would not answer the start's ping; it takes
    # the default queue once it has answered
    with celery_worker(["--pool=solo", "-Q", "bench-idle"], name="refresh", db_url=db_url, redis_url=redis_url,
                       workdir=workdir) as worker:
        started = time.perf_counter()
        app.control.add_consumer("celery", reply=True)
        wait_for(lambda: not StaleMark.objects.filter(agency=agency).exists()
                 and AgencyComputation.objects.filter(agency=agency, computed_at__isnull=False).exists(),
                 timeout=3600, what="the obligations refresh", interval=0.5)
        refresh_s = time.perf_counter() - started
        refresh_peak = _kib(worker.pid, "VmHWM")
    stored = StoredObligation.objects.filter(agency=agency).count()
    if not stored:
        raise SystemExit("the refresh stored no obligations")
    return {"refresh_peak_mb": round(refresh_peak / 1024, 1), "refresh_s": round(refresh_s, 1),
            "refresh_rows": stored}


def bench_user(agency, name: str):
    from accounts.models import User
    from people.models import Membership

    user = User.objects.create_user(username=f"{name}_{agency.ori}", password="bench-password-1")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.LEDS_REPRESENTATIVE)
    return user


def roster_queries(agency, people_needed: int) -> int:
    from allauth.mfa.models import Authenticator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = bench_user(agency, "rep")

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "bench"})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "username": user.username},
                                                 {"method": "mfa", "at": time.time(), "type": "totp"}]
    session.save()
    client.get("/people/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/people/", {"sort": "name"}).status_code == 200
    return len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--memory-rows", type=int, default=100_000, help="rows for the worker-memory measurement")
    parser.add_argument("--refresh-batch", type=int, default=5_000,
                        help="OBLIGATIONS_REFRESH_BATCH for the refresh worker (a huge number: one pass)")
    args = parser.parse_args()
    os.environ["OBLIGATIONS_REFRESH_BATCH"] = str(args.refresh_batch)  # the workers' settings read it
    data = roster_csv(args.rows)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped bench still stops its worker
    workdir = Path(tempfile.mkdtemp(prefix="bench_import_"))
    try:
        with private_redis(workdir) as redis_url:
            os.environ["REDIS_URL"] = redis_url  # the bench queues on the broker its worker reads
            figures = run(args, data, workdir, redis_url)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(args, *figures)


def run(args, data: bytes, workdir: Path, redis_url: str):
    with scratch_database("bench_roster") as db_url:
        from django.conf import settings

        from people.importers import apply_roster, plan_roster
        from people.models import Agency, Person

        settings.ALLOWED_HOSTS = ["testserver"]
        agency = Agency.objects.create(ori="OR0010000", name="Large agency")
        started = time.perf_counter()
        plan = plan_roster(agency=agency, data=data, filename="bench.csv")
        assert plan.ok, plan.errors[:5]
        apply_roster(plan=plan, actor=None, filename="bench.csv")
        import_s = time.perf_counter() - started
        history_rows = Person.history.count()
        started = time.perf_counter()
        replan = plan_roster(agency=agency, data=data, filename="bench.csv")
        apply_roster(plan=replan, actor=None, filename="bench.csv")
        reimport_s = time.perf_counter() - started
        changed = len(replan.creates) + len(replan.updates) + (Person.history.count() - history_rows)
        small = Agency.objects.create(ori="OR0000010", name="Small agency")
        small_plan = plan_roster(agency=small, data=roster_csv(10), filename="small.csv")
        apply_roster(plan=small_plan, actor=None, filename="small.csv")
        queries_10 = roster_queries(small, 10)
        queries_n = roster_queries(agency, args.rows)
        fresh = Agency.objects.create(ori="OR0020000", name="Empty agency")
        memory = task_path_memory(fresh, bench_user(fresh, "big"), args.memory_rows, db_url=db_url,
                                  redis_url=redis_url, workdir=workdir)
    return import_s, reimport_s, changed, queries_10, queries_n, memory


def report(args, import_s, reimport_s, changed, queries_10, queries_n, memory):
    print_table([
        ("rows", args.rows), ("import", f"{import_s:.2f} s (target <= 10 s)"),
        ("re-import (unchanged file)", f"{reimport_s:.2f} s (target <= 10 s), {changed} changes"),
        ("roster page queries at 10 / N", f"{queries_10} / {queries_n}"),
        (f"worker: plan {args.memory_rows:,} rows (task path)",
         f"{memory['plan_s']:.1f} s, peak {memory['plan_peak_mb']:.0f} MB (idle worker {memory['idle_mb']:.0f} MB; "
         f"target <= 300 MB); progress moved {memory['progress_reports']} times"),
        (f"worker: confirm, plan again and import {args.memory_rows:,} rows",
         f"{memory['apply_s']:.1f} s, peak {memory['apply_peak_mb']:.0f} MB (target <= 300 MB)"),
        (f"worker: the obligations refresh after it ({args.refresh_batch:,} people a batch)",
         f"{memory['refresh_s']:.1f} s, peak {memory['refresh_peak_mb']:.0f} MB, {memory['refresh_rows']:,} rows"),
    ])
    print(json.dumps({"rows": args.rows, "import_s": round(import_s, 2), "reimport_s": round(reimport_s, 2),
                      "reimport_changed": changed, "queries_10": queries_10, "queries_10000": queries_n,
                      "memory_rows": args.memory_rows, "worker_idle_mb": memory["idle_mb"],
                      "worker_plan_peak_mb": memory["plan_peak_mb"], "worker_apply_peak_mb": memory["apply_peak_mb"],
                      "worker_plan_s": memory["plan_s"], "worker_apply_s": memory["apply_s"],
                      "progress_reports": memory["progress_reports"], "refresh_batch": args.refresh_batch,
                      "worker_refresh_peak_mb": memory["refresh_peak_mb"], "worker_refresh_s": memory["refresh_s"],
                      "refresh_rows": memory["refresh_rows"],
                      "target_mb": 300, "plan_within_target": memory["plan_peak_mb"] <= 300,
                      "confirm_within_target": memory["apply_peak_mb"] <= 300}))


if __name__ == "__main__":
    main()
