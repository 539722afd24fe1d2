"""Benchmark for issue 11: import a 20,000-entry validation list and count a validator's worklist queries.

Targets: the import (plan + write, with history, into PostgreSQL) <= 10 s; a validator's worklist page issues
the same number of SQL queries with 20 entries assigned as with 20,000. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/validations.py [--entries N]
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database

HEADER = "NIC,ORI,OCA,MKE,DTE,SUBJECT,OPERATOR\n"
MKES = ["EW", "EM", "EPO", "EV", "EG", "EA", "EB", "ELP", "ES"]


def validation_csv(entries: int, ori: str) -> bytes:
    lines = [HEADER]
    for i in range(entries):
        mke = MKES[i % len(MKES)]
        dte = datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 600)
        dte_text = (f"{dte:%Y-%m-%d}", f"{dte.month}/{dte.day}/{dte.year}", f"{dte:%Y%m%d}")[i % 3]
        lines.append(f"{mke[0]}{i:09d},{ori},26-{i:06d},{mke},{dte_text},SUBJECT {i},OPR{i % 40}\n")
    return "".join(lines).encode()


def signed_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [{"method": "password", "at": now, "username": user.username},
                                                 {"method": "mfa", "at": now, "type": "totp"}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


def worklist_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/validations/worklist/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/validations/worklist/", {"page": 2})
        assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20_000)
    args = parser.parse_args()
    with scratch_database("bench_validations"):
        from allauth.mfa.models import Authenticator
        from django.conf import settings

        from accounts.models import User
        from people.models import Agency, Membership, Person
        from validations.importers import apply_validation_list, plan_validation_list
        from validations.models import RegisteredEntry, ValidationEntry

        settings.ALLOWED_HOSTS = ["testserver"]
        agency = Agency.objects.create(ori="OR0010000", name="Large agency")
        data = validation_csv(args.entries, agency.ori)
        started = time.perf_counter()
        plan = plan_validation_list(agency=agency, received_on=datetime.date(2026, 11, 2), data=data,
                                    filename="bench.csv")
        assert plan.ok, [str(e) for e in plan.errors[:5]]
        planned_s = time.perf_counter() - started
        cycle = apply_validation_list(plan=plan, actor=None, filename="bench.csv")
        import_s = time.perf_counter() - started
        entry_count = ValidationEntry.objects.filter(cycle=cycle).count()
        history_rows = ValidationEntry.history.count() + RegisteredEntry.history.count()

        user = User.objects.create_user(username="validator", password="bench-password-1")
        Membership.objects.create(user=user, agency=agency, role=Membership.Role.EMPLOYEE)
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "bench"})
        validator = Person.objects.create(agency=agency, employee_id="V1", last_name="Validator", first_name="Val",
                                          assigned_on=datetime.date(2024, 1, 1), user=user)
        client = signed_in_client(user)
        ids = list(cycle.entries.order_by("line").values_list("pk", flat=True))
        ValidationEntry.objects.filter(pk__in=ids[:20]).update(validator=validator)
        small = worklist_queries(client)
        ValidationEntry.objects.filter(cycle=cycle).update(validator=validator)
        large = worklist_queries(client)
        started = time.perf_counter()
        client.get("/validations/worklist/", {"page": 200})
        page_s = time.perf_counter() - started

    print_table([
        ("entries imported", entry_count),
        ("history rows written", history_rows),
        ("plan (read + validate) s", f"{planned_s:.2f}"),
        ("import total s (target <= 10)", f"{import_s:.2f}"),
        ("worklist queries, 20 assigned", small),
        ("worklist queries, all assigned", large),
        ("worklist page 200 of 20,000 s", f"{page_s:.3f}"),
    ])
    ok = import_s <= 10 and small == large
    print(json.dumps({"entries": entry_count, "import_s": round(import_s, 2), "plan_s": round(planned_s, 2),
                      "history_rows": history_rows, "worklist_queries_20": small,
                      "worklist_queries_20000": large, "worklist_page_s": round(page_s, 3), "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
