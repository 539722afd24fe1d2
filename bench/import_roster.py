"""Benchmark for issue 4: import a 10,000-row roster, re-import it, and count the roster page's queries.

Targets: import <= 10 s; re-import <= 10 s and changes nothing; the roster page issues the same number of SQL
queries at 10 and at 10,000 people. Issue 17: the peak memory of a fresh worker-like process (sys.executable,
Django set up as a Celery worker has it) that parses and plans a 100,000-row file — the most IMPORT_MAX_ROWS
allows — target <= 300 MB. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_roster.py \
        [--rows N] [--memory-rows N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import ROOT, print_table, scratch_database

HEADER = "employee_id,last_name,first_name,email,position,assignment_date,role_tier,supervisor_employee_id,status\n"


def roster_csv(rows: int) -> bytes:
    rng = random.Random(4)
    lines = [HEADER]
    for i in range(rows):
        boss = f"E{rng.randrange(0, i):06d}" if i > 10 and rng.random() < 0.8 else ""
        lines.append(f"E{i:06d},Last{i},First{i},p{i}@example.org,Officer,2024-{1 + i % 12}-{1 + i % 28},"
                     f"{1 + i % 4},{boss},active\n")
    return "".join(lines).encode()


# run in a fresh process: the memory a worker needs to parse and plan one upload (ru_maxrss is in KiB on Linux)
MEMORY_CHILD = """
import json, resource, sys, time
import django
django.setup()
from people.importers import plan_roster
from people.models import Agency
agency = Agency.objects.get(ori=sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
plan = plan_roster(agency=agency, data=data, filename="big.csv")
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ok": plan.ok, "errors": [str(e) for e in plan.errors[:3]], "creates": len(plan.creates),
                  "baseline_mb": round(before / 1024, 1), "peak_mb": round(peak / 1024, 1),
                  "seconds": round(seconds, 2)}))
"""


def plan_memory(agency, rows: int) -> dict:
    """Peak RSS of a fresh process (as a Celery worker child) that plans a ``rows``-row roster for ``agency``."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as handle:
        handle.write(roster_csv(rows))
        handle.flush()
        result = subprocess.run([sys.executable, "-c", MEMORY_CHILD, handle.name, agency.ori], cwd=ROOT,
                                capture_output=True, text=True, check=False, timeout=1800)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def roster_queries(agency, people_needed: int) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from people.models import Membership

    user = User.objects.create_user(username=f"rep_{agency.ori}", password="bench-password-1")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.LEDS_REPRESENTATIVE)
    from allauth.mfa.models import Authenticator

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
    args = parser.parse_args()
    data = roster_csv(args.rows)
    with scratch_database("bench_roster"):
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
        memory = plan_memory(fresh, args.memory_rows)
        assert memory["ok"], memory["errors"]
    print_table([
        ("rows", args.rows), ("import", f"{import_s:.2f} s (target <= 10 s)"),
        ("re-import (unchanged file)", f"{reimport_s:.2f} s (target <= 10 s), {changed} changes"),
        ("roster page queries at 10 / N", f"{queries_10} / {queries_n}"),
        (f"plan {args.memory_rows:,} rows in a fresh worker process",
         f"{memory['seconds']:.1f} s, peak {memory['peak_mb']:.0f} MB (Django alone {memory['baseline_mb']:.0f} MB; "
         "target <= 300 MB)"),
    ])
    print(json.dumps({"rows": args.rows, "import_s": round(import_s, 2), "reimport_s": round(reimport_s, 2),
                      "reimport_changed": changed, "queries_10": queries_10, "queries_10000": queries_n,
                      "memory_rows": args.memory_rows, "worker_peak_mb": memory["peak_mb"],
                      "worker_baseline_mb": memory["baseline_mb"], "plan_s": memory["seconds"]}))


if __name__ == "__main__":
    main()
