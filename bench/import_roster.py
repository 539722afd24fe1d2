"""Benchmark for issue 4: import a 10,000-row roster, re-import it, and count the roster page's queries.

Targets: import <= 10 s; re-import <= 10 s and changes nothing; the roster page issues the same number of SQL
queries at 10 and at 10,000 people. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_roster.py [--rows N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database

HEADER = "employee_id,last_name,first_name,email,position,assignment_date,role_tier,supervisor_employee_id,status\n"


def roster_csv(rows: int) -> bytes:
    rng = random.Random(4)
    lines = [HEADER]
    for i in range(rows):
        boss = f"E{rng.randrange(0, i):06d}" if i > 10 and rng.random() < 0.8 else ""
        lines.append(f"E{i:06d},Last{i},First{i},p{i}@example.org,Officer,2024-{1 + i % 12}-{1 + i % 28},"
                     f"{1 + i % 4},{boss},active\n")
    return "".join(lines).encode()


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
    print_table([
        ("rows", args.rows), ("import", f"{import_s:.2f} s (target <= 10 s)"),
        ("re-import (unchanged file)", f"{reimport_s:.2f} s (target <= 10 s), {changed} changes"),
        ("roster page queries at 10 / N", f"{queries_10} / {queries_n}"),
    ])
    print(json.dumps({"rows": args.rows, "import_s": round(import_s, 2), "reimport_s": round(reimport_s, 2),
                      "reimport_changed": changed, "queries_10": queries_10, "queries_10000": queries_n}))


if __name__ == "__main__":
    main()
