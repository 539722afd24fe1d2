"""Benchmark for issue 6: the compliance engine over an agency of 10,000 people with 5 years of records.

Targets: compliance_report <= 3 s; dashboard server time median <= 250 ms over 20 requests; the same number
of queries at 10 and at 10,000 people. No request recomputes (issue 23): ``dashboard_recompute_ms`` is retired;
``refresh_agency_s`` is the refresh task's time for the whole agency, in the worker. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/compliance.py [--people N]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database

TODAY = date(2026, 11, 23)


def build_agency(ori: str, name: str, people: int, rng: random.Random):
    from people.models import Agency

    agency = Agency.objects.create(ori=ori, name=name)
    return agency, add_people(agency, people, rng)


def add_people(agency, people: int, rng: random.Random, start: int = 0) -> int:
    """``people`` more people in ``agency`` (employee IDs from ``start``) with five years of records; bench/pages.py
    uses it too. Most people are eligible, as at an agency; a few percent have no check or one still pending, and
    some have let a certification or security awareness lapse. Returns the number of records."""
    from background.models import FingerprintCheck
    from certification.models import (
        CertificationLevel,
        CertificationResult,
        SecurityAwarenessCompletion,
        TrainingGuideIssue,
    )
    from common.dates import add_months
    from people.models import Person

    created = Person.objects.bulk_create(
        (Person(agency=agency, employee_id=f"E{i:06d}", last_name=f"Last{i}", first_name="First",
                assigned_on=TODAY - timedelta(days=rng.randint(10, 5 * 365)), role_tier=rng.choice([1, 2, 2, 3, 4]))
         for i in range(start, start + people)), batch_size=5000)
    levels = list(CertificationLevel.objects.all())
    fingerprints, guides, passes, awareness = [], [], [], []
    for person in Person.objects.filter(pk__in=[p.pk for p in created]).only("pk", "assigned_on", "role_tier"):
        start = person.assigned_on
        if rng.random() < 0.95:
            submitted_on = start + timedelta(days=rng.randint(5, 40))
            # most checks came back cleared, as at an agency (R-BG-1); the rest are still pending
            result_on = submitted_on + timedelta(days=rng.randint(10, 30))
            cleared = rng.random() < 0.92 and result_on <= TODAY
            fingerprints.append(FingerprintCheck(
                person=person, submitted_on=submitted_on, result_on=result_on if cleared else None,
                outcome=FingerprintCheck.Outcome.CLEARED if cleared else FingerprintCheck.Outcome.PENDING))
        guides.append(TrainingGuideIssue(person=person, issued_on=start + timedelta(days=5),
                                         completed_on=start + timedelta(days=rng.randint(20, 80))))
        passed = start + timedelta(days=rng.randint(30, 200))
        while passed <= TODAY:
            passes.append(CertificationResult(person=person, passed_on=passed, level=rng.choice(levels), score=90))
            passed = add_months(passed, 24) - timedelta(days=rng.randint(-20, 40))
        done = start
        while done <= TODAY:
            awareness.append(SecurityAwarenessCompletion(person=person, completed_on=done,
                                                         tier=person.role_tier))
            done = add_months(done, 12) - timedelta(days=rng.randint(-10, 20))
    for rows, model in ((fingerprints, FingerprintCheck), (guides, TrainingGuideIssue),
                        (passes, CertificationResult), (awareness, SecurityAwarenessCompletion)):
        model.objects.bulk_create(rows, batch_size=5000)
    return len(fingerprints) + len(guides) + len(passes) + len(awareness)


def measure(agency, user_client):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        call_command("compliance_report", "--agency", agency.ori, "--today", TODAY.isoformat(), stdout=io.StringIO())
        report_s = time.perf_counter() - started
    report_queries = len(ctx.captured_queries)
    from compliance.obligations import refresh_agency

    started = time.perf_counter()
    refresh_agency(agency.pk, TODAY)  # the refresh task's work (Celery), never a request's (issue 23)
    refresh_s = time.perf_counter() - started
    user_client.get("/compliance/")  # warm the session
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = user_client.get("/compliance/")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as ctx:
        user_client.get("/compliance/")
    return report_s, report_queries, statistics.median(timings), len(ctx.captured_queries), refresh_s


def client_for(agency, username):
    import time as _time

    from django.test import Client

    from accounts.models import User
    from people.models import Membership

    user = User.objects.create_user(username=username, password="bench-password-1")
    Membership.objects.create(user=user, agency=agency, role=Membership.Role.LEDS_REPRESENTATIVE)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "bench"})
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": _time.time(), "username": username},
        {"method": "mfa", "at": _time.time(), "type": "totp"},
    ]
    session.save()
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    with scratch_database("bench_compliance"):
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["testserver", "localhost"]
        rng = random.Random(6)
        started = time.perf_counter()
        small, _ = build_agency("OR0000010", "Small agency", 10, rng)
        large, records = build_agency("OR0010000", "Large agency", args.people, rng)
        build_s = time.perf_counter() - started
        small_report_s, report_q10, small_dash_ms, dash_q10, _ = measure(small, client_for(small, "rep_small"))
        report_s, report_qn, dash_ms, dash_qn, refresh_s = measure(large, client_for(large, "rep_large"))
    print_table([
        ("people", args.people), ("records (5 years)", records), ("data built in", f"{build_s:.1f} s"),
        ("compliance_report", f"{report_s:.2f} s (target <= 3 s)"),
        ("dashboard median (20 requests)", f"{dash_ms:.0f} ms (target <= 250 ms)"),
        ("refresh task, whole agency (worker, not a request)", f"{refresh_s:.2f} s"),
        ("report queries at 10 / N", f"{report_q10} / {report_qn}"),
        ("dashboard queries at 10 / N", f"{dash_q10} / {dash_qn}"),
        ("(10-person report / dashboard)", f"{small_report_s:.3f} s / {small_dash_ms:.0f} ms"),
    ])
    print(json.dumps({"people": args.people, "records": records, "report_s": round(report_s, 3),
                      "dashboard_median_ms": round(dash_ms, 1), "refresh_agency_s": round(refresh_s, 2),
                      "report_queries_10": report_q10,
                      "report_queries_10000": report_qn, "dashboard_queries_10": dash_q10,
                      "dashboard_queries_10000": dash_qn}))


if __name__ == "__main__":
    main()
