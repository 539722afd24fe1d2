"""Benchmark for issue 7: in-house certification classes in an agency of 10,000 people (R-CE-5).

Measures the roster builder (the engine's suggestions), the class page with its result grid, saving one grid row,
the dashboard with its unrecorded-passes panel, and 50 simultaneous additions to a 20-seat class. Query counts
are compared at 10 people and at N. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/certification_classes.py
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database


def build(ori: str, name: str, people: int, rng: random.Random, today: date):
    """An agency whose people are half certified, with a year of past classes (40 seats each, weekly)."""
    from certification.models import CertificationClass, CertificationLevel, CertificationResult, Enrollment
    from people.models import Agency, Person

    agency = Agency.objects.create(ori=ori, name=name)
    Person.objects.bulk_create(
        Person(agency=agency, employee_id=f"E{i:06d}", last_name=f"Last{i:06d}", first_name="First",
               email=f"p{i}@example.org", assigned_on=today - timedelta(days=rng.randint(10, 5 * 365)),
               role_tier=rng.choice([1, 2, 2, 3, 4]))
        for i in range(people))
    level = CertificationLevel.objects.get(name="Full Access")
    everyone = list(Person.objects.filter(agency=agency).values_list("pk", flat=True))
    CertificationResult.objects.bulk_create(
        (CertificationResult(person_id=pk, passed_on=today - timedelta(days=rng.randint(1, 900)), level=level,
                             score=90) for pk in everyone if rng.random() < 0.5), batch_size=5000)
    weeks = min(52, max(1, people // 80))  # past classes hold at most half the agency
    classes = CertificationClass.objects.bulk_create(
        CertificationClass(agency=agency, held_on=today - timedelta(days=7 * (w + 1)), start_time=clock(9),
                           end_time=clock(16), location="Training room", instructor="Pat", capacity=40, level=level)
        for w in range(weeks))
    rng.shuffle(everyone)
    enrollments = []
    for index, certification_class in enumerate(classes):
        for pk in everyone[index * 40:min((index + 1) * 40, people // 2)]:
            passed = rng.random() < 0.8
            enrollments.append(Enrollment(
                certification_class=certification_class, person_id=pk, attendance="attended",
                result="pass" if passed else "fail", score=90 if passed else 50, passed_level=level if passed else None,
                is_recorded_in_leds=passed and rng.random() < 0.9))
    Enrollment.objects.bulk_create(enrollments, batch_size=5000)
    upcoming = CertificationClass.objects.create(
        agency=agency, held_on=today, start_time=clock(9), end_time=clock(16), location="Training room",
        instructor="Pat", capacity=40, level=level)
    seated = everyone[-min(40, max(1, people // 4)):]
    Enrollment.objects.bulk_create(Enrollment(certification_class=upcoming, person_id=pk) for pk in seated)
    return agency, upcoming, len(enrollments) + len(seated)


def timed(client, method: str, path: str, data=None, repeat: int = 10, **headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    getattr(client, method)(path, data or {}, **headers)  # warm: the first read of the day refreshes the store
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = getattr(client, method)(path, data or {}, **headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (path, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        getattr(client, method)(path, data or {}, **headers)
    return statistics.median(timings), len(ctx.captured_queries)


def measure(agency, upcoming, client):
    from certification.models import Enrollment

    roster_ms, roster_q = timed(client, "get", f"/certification/classes/{upcoming.pk}/roster/add/")
    detail_ms, detail_q = timed(client, "get", f"/certification/classes/{upcoming.pk}/")
    dashboard_ms, dashboard_q = timed(client, "get", "/compliance/")
    from accounts.models import User
    from certification.selectors import unrecorded_passes
    from compliance.selectors import agency_today

    user = User.objects.get(pk=client.session["_auth_user_id"])
    panel = []
    for _ in range(10):
        started = time.perf_counter()
        passes, _days = unrecorded_passes(user=user, agency=agency, today=agency_today(agency))
        panel.append((time.perf_counter() - started) * 1000)
    enrollment = Enrollment.objects.filter(certification_class=upcoming).first()
    row_ms, row_q = timed(client, "post", f"/certification/enrollments/{enrollment.pk}/result/",
                          {"attendance": "attended", "result": "fail", "score": "60"}, HTTP_HX_REQUEST="true")
    return {"roster_ms": roster_ms, "roster_q": roster_q, "detail_ms": detail_ms, "detail_q": detail_q,
            "dashboard_ms": dashboard_ms, "dashboard_q": dashboard_q, "row_ms": row_ms, "row_q": row_q,
            "panel_ms": statistics.median(panel), "panel_rows": len(passes)}


def race(agency, today: date, threads: int = 50, seats: int = 20):
    """``threads`` LEDS Representatives add one person each to a ``seats``-seat class at the same moment."""
    from django.core.exceptions import ValidationError
    from django.db import connection

    from certification import services
    from certification.models import CertificationClass, CertificationLevel, Enrollment
    from people.models import Person

    certification_class = CertificationClass.objects.create(
        agency=agency, held_on=today + timedelta(days=14), start_time=clock(9), end_time=clock(16), location="Room",
        instructor="Pat", capacity=seats, level=CertificationLevel.objects.get(name="Full Access"))
    people = Person.objects.bulk_create(
        Person(agency=agency, employee_id=f"R{i:05d}", last_name=f"Racer{i}", first_name="First",
               assigned_on=today - timedelta(days=30)) for i in range(threads))
    barrier = threading.Barrier(len(people))
    refused, failed = [], []

    def add(person):
        try:
            barrier.wait()
            services.enroll_people(class_id=certification_class.pk, people=[person], actor=None, today=today)
        except ValidationError:
            refused.append(person.pk)
        except Exception as error:  # reported below
            failed.append(repr(error))
        finally:
            connection.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=add, args=(p,)) for p in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    return Enrollment.objects.filter(certification_class=certification_class).count(), len(refused), failed, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    with scratch_database("bench_classes"):
        from django.conf import settings
        from django.utils import timezone

        from bench.compliance import client_for

        settings.ALLOWED_HOSTS = ["testserver", "localhost"]
        today = timezone.localdate()
        rng = random.Random(7)
        started = time.perf_counter()
        small, small_class, _ = build("OR0000010", "Small agency", 10, rng, today)
        large, large_class, enrollments = build("OR0010000", "Large agency", args.people, rng, today)
        build_s = time.perf_counter() - started
        small_figures = measure(small, small_class, client_for(small, "rep_small"))
        figures = measure(large, large_class, client_for(large, "rep_large"))
        taken, refused, failed, race_s = race(large, today)
    print_table([
        ("people", args.people), ("class enrollments", enrollments), ("data built in", f"{build_s:.1f} s"),
        ("roster builder (suggestions) median", f"{figures['roster_ms']:.0f} ms"),
        ("class page with 40-row grid median", f"{figures['detail_ms']:.0f} ms"),
        ("save one grid row (htmx) median", f"{figures['row_ms']:.0f} ms"),
        ("dashboard with unrecorded-passes panel median", f"{figures['dashboard_ms']:.0f} ms"),
        ("  of which the panel's selector", f"{figures['panel_ms']:.0f} ms ({figures['panel_rows']} passes)"),
        ("queries at 10 / N: roster builder", f"{small_figures['roster_q']} / {figures['roster_q']}"),
        ("queries at 10 / N: class page", f"{small_figures['detail_q']} / {figures['detail_q']}"),
        ("queries at 10 / N: dashboard", f"{small_figures['dashboard_q']} / {figures['dashboard_q']}"),
        ("50 simultaneous additions, 20 seats", f"{taken} enrolled, {refused} refused, {len(failed)} errors, "
                                                f"{race_s:.2f} s"),
    ])
    print(json.dumps({"people": args.people, "enrollments": enrollments,
                      **{k: round(v, 1) if isinstance(v, float) else v for k, v in figures.items()},
                      "small_queries": {k: v for k, v in small_figures.items() if k.endswith("_q")},
                      "race_enrolled": taken, "race_refused": refused, "race_errors": len(failed),
                      "race_s": round(race_s, 2)}))


if __name__ == "__main__":
    main()
