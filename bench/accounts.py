"""Benchmark for issue 8: state accounts of an agency of 10,000 people (about 25,000 accounts).

Measures the selector the dashboard panel and the audit packet call (``state_access.selectors.agency_accounts``),
the compliance report with the account obligations, the dashboard with its accounts panel, and a month's
account-activity import of every WebLEDS user name. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/accounts.py [--people N]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database

TODAY = date(2026, 11, 23)


def build_agency(ori: str, name: str, people: int, rng: random.Random):
    from background.models import FingerprintCheck
    from people.models import Agency, Person
    from state_access.models import DutyTransfer, StateAccount, StateSystem

    agency = Agency.objects.create(ori=ori, name=name)
    now = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    rows = []
    for i in range(people):
        separated = rng.random() < 0.05
        rows.append(Person(agency=agency, employee_id=f"E{i:06d}", last_name=f"Last{i}", first_name="First",
                           assigned_on=TODAY - timedelta(days=rng.randint(200, 5 * 365)),
                           status="separated" if separated else "active",
                           separated_at=now - timedelta(hours=rng.randint(1, 2000)) if separated else None))
    Person.objects.bulk_create(rows, batch_size=5000)
    systems = {s.name: s for s in StateSystem.objects.filter(agency__isnull=True)}
    checks, accounts, transfers = [], [], []
    for person in Person.objects.filter(agency=agency).only("pk", "assigned_on", "status", "separated_at"):
        checks.append(FingerprintCheck(person=person, submitted_on=person.assigned_on + timedelta(days=9),
                                       outcome="cleared", result_on=person.assigned_on + timedelta(days=30)))
        start = datetime.combine(person.assigned_on + timedelta(days=32), datetime.min.time(), tzinfo=UTC)
        for name in rng.sample(["WebLEDS", "CJIS Online", "nexTEST", "LEDS 20/20 / eAgent"], rng.choice([2, 2, 3])):
            account = StateAccount(person=person, system=systems[name], username=f"{name[:3]}{person.pk}".lower(),
                                   status="active", requested_at=start, activated_at=start + timedelta(hours=6),
                                   last_login_on=TODAY - timedelta(days=rng.randint(0, 150)))
            if person.separated_at and rng.random() < 0.8:
                account.status, account.disabled_at = "disabled", person.separated_at + timedelta(
                    hours=rng.randint(1, 40))
            accounts.append(account)
        if person.status == "active" and rng.random() < 0.01:
            transfers.append(DutyTransfer(person=person, transferred_at=now - timedelta(hours=rng.randint(1, 100))))
    FingerprintCheck.objects.bulk_create(checks, batch_size=5000)
    StateAccount.objects.bulk_create(accounts, batch_size=5000)
    DutyTransfer.objects.bulk_create(transfers, batch_size=5000)
    return agency, len(accounts)


def measure(agency, client):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from state_access.selectors import agency_accounts

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        people = agency_accounts(agency=agency)
        selector_s = time.perf_counter() - started
    selector_queries = len(ctx.captured_queries)
    late = sum(t.is_late for p in people for t in p.accounts)
    started = time.perf_counter()
    call_command("compliance_report", "--agency", agency.ori, "--today", TODAY.isoformat(), stdout=io.StringIO())
    report_s = time.perf_counter() - started
    client.get("/compliance/")  # the first read of the day recomputes and stores the agency
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        response = client.get("/compliance/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        client.get("/compliance/")
    return selector_s, selector_queries, late, report_s, statistics.median(timings), len(ctx.captured_queries)


def import_month(agency) -> tuple[float, int]:
    from django.core.management import call_command

    from state_access.models import StateAccount

    names = StateAccount.objects.filter(person__agency=agency, system__name="WebLEDS").values_list("username",
                                                                                                    flat=True)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as handle:
        handle.write("username,last_login\n")
        handle.writelines(f"{name},2026-11-20\n" for name in names)
    started = time.perf_counter()
    call_command("import_account_activity", "--agency", agency.ori, "--system", "WebLEDS", handle.name,
                 stdout=io.StringIO())
    return time.perf_counter() - started, len(names)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    with scratch_database("bench_accounts"):
        from django.conf import settings

        from bench.compliance import client_for

        settings.ALLOWED_HOSTS = ["testserver", "localhost"]
        rng = random.Random(8)
        started = time.perf_counter()
        small, _ = build_agency("OR0000010", "Small agency", 10, rng)
        large, accounts = build_agency("OR0010000", "Large agency", args.people, rng)
        build_s = time.perf_counter() - started
        from django.db import connection

        with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them after a bulk load
            cursor.execute("ANALYZE")
        small_result = measure(small, client_for(small, "rep_small"))
        result = measure(large, client_for(large, "rep_large"))
        import_s, imported = import_month(large)
    selector_s, selector_q, late, report_s, dash_ms, dash_q = result
    print_table([
        ("people / accounts", f"{args.people} / {accounts}"), ("data built in", f"{build_s:.1f} s"),
        ("agency_accounts (R-AC-2 timing)", f"{selector_s:.2f} s, {late} accounts late"),
        ("agency_accounts queries at 10 / N", f"{small_result[1]} / {selector_q}"),
        ("compliance_report with account obligations", f"{report_s:.2f} s"),
        ("dashboard with accounts panel, median of 10", f"{dash_ms:.0f} ms"),
        ("dashboard queries at 10 / N", f"{small_result[5]} / {dash_q}"),
        ("import_account_activity", f"{import_s:.2f} s for {imported} rows"),
    ])
    print(json.dumps({"people": args.people, "accounts": accounts, "agency_accounts_s": round(selector_s, 3),
                      "agency_accounts_queries_10": small_result[1], "agency_accounts_queries_n": selector_q,
                      "report_s": round(report_s, 3), "dashboard_median_ms": round(dash_ms, 1),
                      "dashboard_queries_10": small_result[5], "dashboard_queries_n": dash_q,
                      "import_rows": imported, "import_s": round(import_s, 3)}))


if __name__ == "__main__":
    main()
