"""Benchmark for issue 23: every page every role may open, at a 100-person and at a 10,000-person agency.

One process, Django's test client, a scratch PostgreSQL database. The permission-matrix world (tests/conftest.py
``World``: one user per role, the state agency) gets 100 people with five years of records (bench/compliance.py's
generator), accounts, validation lists (bench/audit_packet.py's and bench/validations.py's), an access review,
events, classes, an agreement, security-log rows and outbox rows; every GET URL of the permission matrix that a
role may open (real object ids, from the matrix rows) is requested 3 times per role. Then the agency grows to
10,000 people (the same generators: 20,000 entries in the current validation list, an access review of every
account, a year of security log) and every URL is requested 10 times per role (3 when the first request takes
more than 2 s, to keep the run short; the table says how many).

Pages (HTML) are held to 300 ms; downloads (CSV, XLSX, PDF, .ics) are timed to their last byte and listed
apart (target <= 5 s). The stored obligations are refreshed before measuring, as the Celery task would: no
request recomputes them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py [--people 10000]
        [--only compliance:dashboard,home] [--keep | --reuse bench_pages_1a2b3c4d]

``--only`` measures those URL names alone; ``--keep`` leaves the built database behind and ``--reuse NAME``
measures it again (the large agency only, after migrating it) without building it: a quick loop while making
one page faster.

Prints a table sorted slowest first; the last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import scratch_database

PAGE_TARGET_MS = 300
DOWNLOAD_TARGET_MS = 5000
SLOW_FIRST_MS = 2000
HTML = "text/html"


def _grow(world, people: int, start: int, rng: random.Random, *, big: bool) -> dict:
    """Add ``people`` people (with their records, accounts, log and outbox rows) and the agency-wide lists."""
    from django.utils import timezone

    from accounts.models import SecurityEvent
    from bench.audit_packet import build_validations
    from bench.compliance import TODAY, add_people
    from bench.validations import validation_csv
    from certification.factories import CertificationClassFactory, EnrollmentFactory
    from notifications.models import OutboxMessage
    from people.models import Person
    from state_access.models import StateAccount, StateSystem
    from state_access.services import start_access_review
    from training_events.factories import TrainingEventFactory
    from training_events.models import Registration
    from validations.importers import apply_validation_list, plan_validation_list
    from validations.models import ValidationEntry

    agency, actor = world.agency, world.users["leds_rep"]
    before = set(Person.objects.filter(agency=agency).values_list("pk", flat=True))
    counts = {"records": add_people(agency, people, rng, start=start)}
    new = list(Person.objects.filter(agency=agency).exclude(pk__in=before).order_by("pk"))
    system = StateSystem.objects.get_or_create(agency=None, name="WebLEDS")[0]
    StateAccount.objects.bulk_create(
        (StateAccount(person=p, system=system, username=f"u{p.pk}", status="active",
                      requested_at=timezone.now() - timedelta(days=400), activated_at=timezone.now()
                      - timedelta(days=398), last_login_on=TODAY - timedelta(days=rng.randint(0, 120))) for p in new),
        batch_size=5000)
    if not big:  # a year of past lists (one a month), made once: the large phase adds the big current list
        counts["past validation entries"] = build_validations(agency, rng, cycles=12, entries=500)
    data = validation_csv(2 * people, agency.ori)
    received = TODAY - timedelta(days=10 if big else 40)
    plan = plan_validation_list(agency=agency, received_on=received, data=data, filename="pages.csv")
    assert plan.ok, [str(e) for e in plan.errors[:3]]
    cycle = apply_validation_list(plan=plan, actor=actor, filename="pages.csv")
    ids = list(cycle.entries.order_by("line").values_list("pk", flat=True))
    ValidationEntry.objects.filter(pk__in=ids[: len(ids) // 10]).update(validator=world.target)
    world.big_entry = ValidationEntry.objects.get(pk=ids[0])
    counts["current list entries"] = len(ids)
    from state_access.models import AccessReview

    AccessReview.objects.filter(agency=agency, signed_at__isnull=True).update(signed_at=timezone.now())
    world._review = start_access_review(agency=agency, actor=actor)
    for _ in range(2):
        event = TrainingEventFactory(seat_cap=40)
        Registration.objects.bulk_create(Registration(event=event, person=p, status="confirmed", arrival=n + 1)
                                         for n, p in enumerate(new[:40]))
    certification_class = CertificationClassFactory(agency=agency, capacity=40)
    for person in new[:30]:
        EnrollmentFactory(certification_class=certification_class, person=person)
    now = timezone.now()
    SecurityEvent.objects.bulk_create(  # a year of the log (the chain is not verified here)
        (SecurityEvent(event=SecurityEvent.Kind.SIGN_IN, agency=agency, actor_username=f"user{n % 400}",
                       target=f"user:user{n % 400}", occurred_at=now - timedelta(minutes=n * 26 * 10_000 // max(
                           people, 1)), prev_hash="0" * 64, hash=f"{(start + 1) * 10**7 + n:064x}")
         for n in range(2 * people)),
        batch_size=5000)
    OutboxMessage.objects.bulk_create(
        (OutboxMessage(agency=agency, to=[f"p{n}@example.org"], subject=f"Reminder {n}", template="email/message",
                       context={"body": "x"}, status="sent") for n in range(people)), batch_size=5000)
    counts["security log rows"] = 2 * people
    from django.db import connection

    with connection.cursor() as cursor:  # statistics, as autovacuum would have them: plans as in production
        cursor.execute("ANALYZE")
    return counts


def _rows(only: frozenset[str] = frozenset()):
    from tests.test_permission_matrix import ROWS

    return {name: row for name, row in sorted(ROWS.items())
            if row.method == "get" and row.ok_status == 200 and (not only or name in only)}


class _KeptWorld:
    """The permission-matrix world of a kept database, found again by its ORIs and user names (``--reuse``)."""

    def __init__(self):
        from people.models import Agency
        from state_access.models import AccessReview
        from tests.conftest import ROLE_USERS
        from validations.models import ValidationEntry

        self.agency = Agency.objects.get(ori="OR0240200")
        self.foreign_agency = Agency.objects.get(ori="OR0230000")
        self.state_agency = Agency.objects.get(ori="OROSP0000")
        from accounts.models import User

        self.users = {user.username: user for user in User.objects.filter(username__in=[*ROLE_USERS, "foreign"])}
        self.people = {key: user.person for key, user in self.users.items()}
        self.outsider = self.agency.people.get(last_name="Outside", first_name="Chain")
        self.foreign_person = self.foreign_agency.people.get(last_name="Elsewhere")
        self._review = AccessReview.objects.filter(agency=self.agency, signed_at__isnull=True).latest("pk")
        self.big_entry = (ValidationEntry.objects.filter(cycle__agency=self.agency).order_by("-cycle_id", "line")
                          .first())

    @property
    def target(self):
        return self.people["employee"]


def _clients(world):
    from django.test import Client

    from tests.conftest import mfa_login
    from tests.matrix import ROLES

    clients = {}
    for role in ROLES:
        client = Client()
        mfa_login(client, world.users[role])
        clients[role] = client
    return clients


def _timed_get(client, url: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # to the last byte
    else:
        response.content  # noqa: B018
    return (time.perf_counter() - started) * 1000, response.status_code, response.get("Content-Type", "")


def _counted_get(client, url: str) -> tuple[float, int, str, int]:
    """``_timed_get`` and every statement it ran (the test client's request_started resets Django's own log)."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        ms, status, content_type = _timed_get(client, url)
    return ms, status, content_type, len(executed)


def measure(world, repeats: int, only: frozenset[str] = frozenset()) -> dict:
    """{(url name, role): {median, p95, queries, kind, n, status}} for every GET row and role that gets a 200."""

    import tests.validations.matrix as validations_matrix
    from tests.matrix import ROLES

    validations_matrix._entry = lambda w: w.big_entry  # the list of the agency's size, not a one-entry list
    clients = _clients(world)
    results = {}
    # every URL first: a row's builder may add records to the world (an account, a registration of the target),
    # so each page is measured in the same world at 100 and at 10,000 people and a query count differs only with
    # the agency's size
    urls = {}
    for name, row in _rows(only).items():
        try:
            urls[name] = row.url(world)
        except Exception as error:  # a row the bench world cannot build is reported, not fatal
            print(f"  {name}: no URL ({error})", file=sys.stderr)
    for name, row in _rows(only).items():
        if name not in urls:
            continue
        url = urls[name]
        for role in ROLES:
            if row.expected(role) != 200:
                continue
            client = clients[role]
            # the page's query count is the smaller of its first two requests': a session's once-a-minute
            # bookkeeping (its activity, its second-factor check: accounts.middleware) lands on one request now
            # and then and is not the page's
            first_ms, status, content_type, first_queries = _counted_get(client, url)
            if status != 200:
                results[(name, role)] = {"status": status}
                continue
            second_ms, _, _, second_queries = _counted_get(client, url)
            times = [first_ms, second_ms]
            wanted = repeats if first_ms < SLOW_FIRST_MS else min(repeats, 3)
            for _ in range(wanted - 2):
                times.append(_timed_get(client, url)[0])
            queries = min(first_queries, second_queries)
            kind = "page" if content_type.startswith(HTML) else "download"
            print(f"  {name} {role}: {statistics.median(times):.0f} ms x{len(times)}", file=sys.stderr, flush=True)
            results[(name, role)] = {
                "median": statistics.median(times), "p95": sorted(times)[min(len(times) - 1, round(0.95 * (
                    len(times) - 1)))], "queries": queries, "kind": kind, "n": len(times),
                "status": status}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--only", default="", help="comma-separated URL names to measure (default: all)")
    parser.add_argument("--keep", action="store_true", help="leave the scratch database behind")
    parser.add_argument("--reuse", default="", help="a kept database: measure its large agency again")
    args = parser.parse_args()
    only = frozenset(filter(None, (name.strip() for name in args.only.split(","))))
    small = {}
    with scratch_database("bench_pages", keep=args.keep, reuse=args.reuse):
        from django.conf import settings

        settings.ALLOWED_HOSTS = ["testserver", "localhost"]
        if args.reuse:
            world = _KeptWorld()
            people = world.agency.people.count()
            large = measure(world, 10, only)
        else:
            people, small, large = _build_and_measure(args, only)
    _report(args, people, small, large)


def _build_and_measure(args, only):
    from accounts.factories import TEST_TOTP_SECRET, enroll_totp
    from compliance.obligations import refresh_all
    from tests.conftest import World

    rng = random.Random(23)
    world = World()
    for user in world.users.values():
        enroll_totp(user, TEST_TOTP_SECRET)  # MFA is required before any agency page (R-SEC-1)
    started = time.perf_counter()
    built = _grow(world, args.small - world.agency.people.count(), 0, rng, big=False)
    refresh_all()  # the Celery refresh task's work, before the morning's first page
    print(f"{args.small} people built in {time.perf_counter() - started:.0f} s: {built}", file=sys.stderr)
    started = time.perf_counter()
    small = measure(world, 3, only)
    print(f"measured at {args.small} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    started = time.perf_counter()
    built = _grow(world, args.people - world.agency.people.count(), args.small, rng, big=True)
    refresh_all()
    people = world.agency.people.count()
    print(f"{people} people built in {time.perf_counter() - started:.0f} s: {built}", file=sys.stderr)
    started = time.perf_counter()
    large = measure(world, 10, only)
    print(f"measured at {people} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return people, small, large


def _report(args, people, small, large):
    rows = sorted(((key, value) for key, value in large.items() if "median" in value),
                  key=lambda item: -item[1]["median"])
    header = f"{'URL name':<44} {'role':<15} {'kind':<8} {'n':>2} {'median ms':>10} {'p95 ms':>9} " \
             f"{'q@' + str(args.small):>6} {'q@' + str(people):>8}"
    print(header)
    print("-" * len(header))
    for (name, role), value in rows:
        queries_small = small.get((name, role), {}).get("queries", "-")
        print(f"{name:<44} {role:<15} {value['kind']:<8} {value['n']:>2} {value['median']:>10.0f} "
              f"{value['p95']:>9.0f} {queries_small:>6} {value['queries']:>8}")
    failed = sorted(f"{name} ({role}): {value['status']}" for (name, role), value in large.items()
                    if "median" not in value)
    if failed:
        print("not 200 in the bench world: " + "; ".join(failed))
    pages = [(key, value) for key, value in rows if value["kind"] == "page"]
    downloads = [(key, value) for key, value in rows if value["kind"] == "download"]
    over = sorted({name for (name, _role), value in pages if value["median"] > PAGE_TARGET_MS})
    grow = sorted({name for (name, role), value in rows
                   if (name, role) in small and small[(name, role)].get("queries") not in (None, value["queries"])})
    slow_downloads = sorted({name for (name, _role), value in downloads if value["median"] > DOWNLOAD_TARGET_MS})
    dashboard = [value["median"] for (name, role), value in rows if name == "compliance:dashboard"
                 and role == "leds_rep"]
    slowest = pages[0] if pages else (("", ""), {"median": 0})
    print(json.dumps({
        "people": people, "urls": len({name for (name, _role), _value in rows}), "url_role_pairs": len(rows),
        "slowest_url": slowest[0][0], "slowest_role": slowest[0][1],
        "slowest_median_ms": round(slowest[1]["median"], 1), "over_300ms": over, "queries_grow": grow,
        "dashboard_median_ms": round(dashboard[0], 1) if dashboard else None,
        "downloads_over_5s": slow_downloads,
        "slowest_download": downloads[0][0][0] if downloads else "",
        "slowest_download_ms": round(downloads[0][1]["median"], 1) if downloads else None,
    }))


if __name__ == "__main__":
    main()
