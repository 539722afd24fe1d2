"""Benchmark for issue 12: the audit packet of an agency of 1,000 people with 3 years of records, a state-system
account each, and 12 monthly validation lists of 500 entries.

Targets: packet <= 90 s, peak memory <= 1.5 GB. The packet is built by ``manage.py audit_packet`` in a child
process (so its peak memory is the build's alone, Django start-up included; with its render workers, the sum of
the builder's peak and each worker's, an upper bound); beside it, the ceiling: WeasyPrint rendering a plain
1,000-row table on the same machine, in one process. Run on demand (PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_packet.py [--people N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import ROOT, print_table, scratch_database

TODAY = date(2026, 11, 23)
START = date(2023, 11, 24)  # 3 years of records


def build_agency(people: int, rng: random.Random) -> tuple[object, int]:
    """An agency whose records (with their history rows, dated as the records) span 3 years."""
    from django.db.models import DateTimeField, F
    from django.db.models.functions import Cast
    from simple_history.utils import bulk_create_with_history

    from agreements.factories import AgreementFactory, AgreementPartyFactory, AgreementReviewFactory
    from agreements.models import AgreementSignatory
    from audit.models import Audit, Finding
    from background.models import FingerprintCheck
    from certification.models import (
        CertificationLevel,
        CertificationResult,
        SecurityAwarenessCompletion,
        TrainingGuideIssue,
    )
    from common.dates import add_months
    from people.models import Agency, Person

    agency = Agency.objects.create(ori="OR0240200", name="Bench County Sheriff's Office")
    staff = []
    for i in range(people):
        assigned = START - timedelta(days=rng.randint(-900, 2000))
        separated = rng.random() < 0.06
        staff.append(Person(
            agency=agency, employee_id=f"E{i:06d}", last_name=f"Lastname{i:04d}", first_name=rng.choice(
                ["Avery", "Blake", "Casey", "Devon", "Emery", "Finley", "Harper", "Jordan", "Kendall", "Logan"]),
            position=rng.choice(["Records Specialist", "Patrol Deputy", "Dispatcher", "Detective", "Clerk"]),
            assigned_on=assigned, role_tier=rng.choice([1, 2, 2, 3, 4]),
            status=Person.Status.SEPARATED if separated else Person.Status.ACTIVE,
            separated_at=datetime(2026, rng.randint(1, 10), rng.randint(1, 28), 17, 0, tzinfo=agency.zone)
            if separated else None))
    bulk_create_with_history(staff, Person, batch_size=2000, default_change_reason="Roster import")
    levels = list(CertificationLevel.objects.all())
    fingerprints, guides, passes, awareness = [], [], [], []
    for person in Person.objects.filter(agency=agency).only("pk", "assigned_on"):
        start = person.assigned_on
        fingerprints.append(FingerprintCheck(person=person, submitted_on=start + timedelta(days=rng.randint(5, 25)),
                                             result_on=start + timedelta(days=rng.randint(30, 60)),
                                             outcome=FingerprintCheck.Outcome.CLEARED))
        guides.append(TrainingGuideIssue(person=person, issued_on=start + timedelta(days=5),
                                         completed_on=start + timedelta(days=rng.randint(20, 60))))
        passed = start + timedelta(days=rng.randint(30, 150))
        while passed <= TODAY:
            passes.append(CertificationResult(person=person, passed_on=passed, level=rng.choice(levels),
                                              score=rng.randint(80, 100)))
            passed = add_months(passed, 24) - timedelta(days=rng.randint(0, 30))
        done = start
        while done <= TODAY:
            awareness.append(SecurityAwarenessCompletion(person=person, completed_on=done, tier=2))
            done = add_months(done, 12) - timedelta(days=rng.randint(0, 20))
    dated = ((fingerprints, FingerprintCheck, "submitted_on"), (guides, TrainingGuideIssue, "issued_on"),
             (passes, CertificationResult, "passed_on"), (awareness, SecurityAwarenessCompletion, "completed_on"))
    for rows, model, day_field in dated:
        bulk_create_with_history(rows, model, batch_size=5000, default_change_reason="Records import")
        # the history rows carry the record's own date, as if each had been entered on the day
        model.history.model.objects.update(history_date=Cast(F(day_field), DateTimeField()))
    Person.history.model.objects.update(history_date=Cast(F("assigned_on"), DateTimeField()))
    chief = Person.objects.filter(agency=agency, status=Person.Status.ACTIVE).first()
    for kind in ("leds_user", "management_control", "security_addendum", "holder_of_record", "interagency"):
        agreement = AgreementFactory(agency=agency, kind=kind, effective_on=date(2023, 7, 1))
        AgreementPartyFactory(agreement=agreement)
        AgreementSignatory.objects.create(agreement=agreement, person=chief, name=chief.full_name,
                                          signed_on=date(2023, 7, 1))
        for year in (2024, 2025, 2026):
            AgreementReviewFactory(agreement=agreement, reviewed_on=date(year, 6, 15))
    audit = Audit.objects.create(agency=agency, audited_on=date(2023, 11, 24), auditor_name="State auditor")
    for n in range(6):
        Finding.objects.create(audit=audit, summary=f"Finding {n}", corrective_action="Fixed",
                               due_on=date(2024, 3, 1), completed_on=date(2024, 2, 1) if n else None)
    return agency, len(staff) + sum(len(rows) for rows, _, _ in dated)


def build_accounts(agency, rng: random.Random) -> int:
    """One WebLEDS account per person; separated people's accounts disabled 2-30 hours after they left (R-AC-2)."""
    from simple_history.utils import bulk_create_with_history

    from people.models import Person
    from state_access.models import StateAccount, StateSystem

    system = StateSystem.objects.get_or_create(agency=None, name="WebLEDS")[0]
    accounts = []
    for person in Person.objects.filter(agency=agency).only("pk", "assigned_on", "status", "separated_at"):
        requested = datetime.combine(person.assigned_on, datetime.min.time(), tzinfo=agency.zone)
        account = StateAccount(person=person, system=system, username=f"u{person.pk}", requested_at=requested,
                               status=StateAccount.Status.ACTIVE, activated_at=requested + timedelta(days=2))
        if person.separated_at:
            account.status = StateAccount.Status.DISABLED
            account.disabled_at = person.separated_at + timedelta(hours=rng.randint(2, 30))
        accounts.append(account)
    bulk_create_with_history(accounts, StateAccount, batch_size=2000, default_change_reason="Account recorded")
    return len(accounts)


def build_validations(agency, rng: random.Random, cycles: int = 12, entries: int = 500) -> int:
    """R-VA: a list a month for the last 12 months, ``entries`` each, all validated, a contact for a third."""
    from common.dates import add_months
    from validations.models import ContactLog, RecordType, ValidationCycle, ValidationEntry

    types = {t.mke: t for t in RecordType.objects.all()}
    wanted = types.get("EW") or RecordType.objects.create(mke="EW", name="Wanted person")
    count = 0
    for month in range(cycles):
        received = add_months(TODAY, -(month + 1)).replace(day=2)
        cycle = ValidationCycle.objects.create(agency=agency, received_on=received,
                                               due_on=received + timedelta(days=30), certified_name="Chief",
                                               certified_title="Chief of Police",
                                               certified_on=received + timedelta(days=25))
        rows = ValidationEntry.objects.bulk_create(
            ValidationEntry(cycle=cycle, line=n + 2, nic=f"W{month:02d}{n:07d}", ori=agency.ori, oca=f"26-{n:06d}",
                            mke="EW", record_type=wanted, dte=received - timedelta(days=rng.randint(30, 900)),
                            subject=f"DOE, JOHN {n}", operator="OPR12", is_reviewed_against_case_file=True,
                            outcome="validated", outcome_on=received + timedelta(days=rng.randint(1, 20)))
            for n in range(entries))
        ContactLog.objects.bulk_create(
            ContactLog(entry=entry, contacted_on=entry.outcome_on, who="Complainant", method="phone",
                       result="Confirmed still wanted") for entry in rows[::3])
        count += len(rows)
    return count


def build_packet(ori: str, out: Path) -> tuple[float, float, int, str, list[str]]:
    """Run the command in a child process; return (seconds, peak MB of the child, pages, sha256, breakdown)."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "audit_packet", "--agency", ori, "--since", START.isoformat(),
         "--until", TODAY.isoformat(), "--out", str(out), "--verbosity", "2"],
        capture_output=True, text=True, env={**os.environ}, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest single process
    lines = result.stdout.rstrip().splitlines()
    pages = int(next(line for line in lines if " pages, period " in line).split()[0])
    breakdown = [line.strip() for line in lines if line.startswith("  ")]
    for line in breakdown:  # the builder and its render workers side by side: their sum, as an upper bound
        if "peak at most" in line:
            peak_mb = max(peak_mb, float(line.rsplit("peak at most ", 1)[1].split()[0]))
    return seconds, peak_mb, pages, lines[-1].split()[-1], breakdown


def ceiling(rows: int = 1000) -> tuple[int, float]:
    """WeasyPrint rendering a plain table of ``rows`` rows (same stylesheet): (pages, seconds)."""
    from common.pdf import page_count, render_pdf

    started = time.perf_counter()
    pdf = render_pdf("pdf/audit/_bench_table.html", {"rows": range(rows)})
    return page_count(pdf), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    args = parser.parse_args()
    with scratch_database("bench_audit_packet"):
        rng = random.Random(12)
        started = time.perf_counter()
        agency, records = build_agency(args.people, rng)
        accounts = build_accounts(agency, rng)
        entries = build_validations(agency, rng)
        build_s = time.perf_counter() - started

        validations = f"12 cycles, {entries} entries (a contact log for every third)"
        with tempfile.TemporaryDirectory() as tmp:
            seconds, peak_mb, pages, sha, breakdown = build_packet(agency.ori, Path(tmp) / "packet.pdf")
            size_mb = (Path(tmp) / "packet.pdf").stat().st_size / 1024 / 1024
        ceiling_pages, ceiling_s = ceiling()
    pages_per_s = pages / seconds
    ceiling_pps = ceiling_pages / ceiling_s
    print_table([
        ("people", args.people), ("records (3 years, with history)", records), ("state-system accounts", accounts),
        ("data built in", f"{build_s:.1f} s"), ("validation cycles", validations),
        ("packet pages", pages), ("packet size", f"{size_mb:.1f} MB"),
        ("packet built in (child process)", f"{seconds:.1f} s (target <= 90 s)"),
        ("packet pages per second", f"{pages_per_s:.1f}"),
        ("peak memory of the build", f"{peak_mb:.0f} MB (target <= 1536 MB)"),
        ("ceiling: plain 1,000-row table", f"{ceiling_pages} pages in {ceiling_s:.1f} s = {ceiling_pps:.1f} pages/s"),
        ("SHA-256", sha),
    ])
    print("where the time went (inside the build):")
    for line in breakdown:
        print(f"  {line}")
    print(json.dumps({"people": args.people, "records": records, "accounts": accounts, "validation_entries": entries,
                      "pages": pages, "seconds": round(seconds, 2),
                      "pages_per_s": round(pages_per_s, 2), "peak_mb": round(peak_mb), "size_mb": round(size_mb, 2),
                      "ceiling_pages": ceiling_pages, "ceiling_seconds": round(ceiling_s, 2),
                      "ceiling_pages_per_s": round(ceiling_pps, 2)}))


if __name__ == "__main__":
    main()
