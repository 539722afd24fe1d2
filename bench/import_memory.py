"""Issue 17 for every import but the roster: a 100,000-row file through a worker within 300 MB (VmHWM).

For each of the records, validation-list, account-activity and state-accounts imports, a valid file of ``--rows``
rows (100,000 by default, the most IMPORT_MAX_ROWS allows) is sent through the task path of a large upload
(common.imports) exactly as bench/import_roster.py sends the roster (``worker_import``): stored as a job, planned by
a fresh Celery worker (solo pool, a private redis-server as the broker, production settings, serving only the
import's queue), then confirmed, planned again and applied by it. Reported per import: the worker's peak resident
memory (VmHWM) after the plan and after the confirm (target <= 300 MB for each), the seconds each took, and a check
that every row landed with its history. The agency the file refers to (people, accounts, part of the register) is
built beforehand with bulk_create. A table, then one JSON object as the last line. Run on demand (PostgreSQL,
redis-server on the PATH):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/import_memory.py \
        [--rows N] [--only records,validation_list,account_activity,state_accounts]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._scratch import print_table, scratch_database
from bench.import_roster import bench_user, worker_import
from bench.statewide import private_redis
from bench.validations import MKES, validation_csv

TARGET_MB = 300
KINDS = ("records", "validation_list", "account_activity", "state_accounts")
RECEIVED_ON = date(2026, 11, 2)
SYSTEMS = ("WebLEDS", "LEDS 20/20 / eAgent", "nexTEST", "CJIS Online")
REQUESTED = datetime(2024, 3, 1, 12, tzinfo=UTC)  # the accounts on file before the state-accounts import


def _people(agency, count: int) -> list[int]:
    """``count`` people of the agency (employee IDs E000000…), written in bulk; their ids in that order."""
    from people.models import Person

    Person.objects.bulk_create([
        Person(agency=agency, employee_id=f"E{i:06d}", last_name=f"Last{i}", first_name=f"First{i}",
               assigned_on=date(2020, 1, 1) + timedelta(days=i % 1500), role_tier=1 + i % 4)
        for i in range(count)], batch_size=5000)
    return list(Person.objects.filter(agency=agency).order_by("employee_id").values_list("pk", flat=True))


# --- records (certification/importers.py) ---------------------------------------------------------------------

def records_world(agency, rows: int):
    """A person's file rows: fingerprints, a guide issued, a pass and a security-awareness completion; every tenth
    person also a clearance and a completed guide, which the import writes one at a time through the services."""
    people = rows // 4 + 1
    _people(agency, people)
    lines = ["employee_id,record,date,level,score,tier\n"]
    counts = dict.fromkeys(("fingerprints_submitted", "background_cleared", "training_guide_issued",
                            "training_guide_completed", "certification_passed", "security_awareness_completed"), 0)
    for i in range(people):
        start = date(2021, 1, 1) + timedelta(days=i % 1000)
        person_rows = [("fingerprints_submitted", start, "", "", "")]
        if i % 10 == 0:
            person_rows.append(("background_cleared", start + timedelta(days=20), "", "", ""))
        person_rows.append(("training_guide_issued", start + timedelta(days=30), "", "", ""))
        if i % 10 == 0:
            person_rows.append(("training_guide_completed", start + timedelta(days=60), "", "", ""))
        person_rows += [("certification_passed", start + timedelta(days=90), "Full Access", str(70 + i % 30), ""),
                        ("security_awareness_completed", start + timedelta(days=100), "", "", str(1 + i % 4))]
        for kind, on, level, score, tier in person_rows:
            if len(lines) > rows:
                break
            lines.append(f"E{i:06d},{kind},{on:%m/%d/%Y},{level},{score},{tier}\n")
            counts[kind] += 1
    return "".join(lines).encode(), {}, counts


def records_landed(agency, counts: dict) -> dict:
    from background.models import FingerprintCheck
    from certification.models import CertificationResult, SecurityAwarenessCompletion, TrainingGuideIssue

    reason = "Records import (big.csv)"
    landed = {}
    for kind, model, extra in (
            ("fingerprints_submitted", FingerprintCheck, {}),
            ("background_cleared", FingerprintCheck, {"outcome": "cleared"}),
            ("training_guide_issued", TrainingGuideIssue, {}),
            ("training_guide_completed", TrainingGuideIssue, {"completed_on__isnull": False}),
            ("certification_passed", CertificationResult, {}),
            ("security_awareness_completed", SecurityAwarenessCompletion, {})):
        landed[kind] = model.objects.filter(person__agency=agency, **extra).count()
        if kind in ("fingerprints_submitted", "training_guide_issued", "certification_passed",
                    "security_awareness_completed"):  # each created with its creation history row
            history = model.history.filter(person__agency=agency, history_type="+",
                                           history_change_reason=reason).count()
            landed[f"{kind} history"] = history
            counts[f"{kind} history"] = counts[kind]
    return landed


# --- validation list (validations/importers.py) ---------------------------------------------------------------

def validation_world(agency, rows: int):
    """The bench's validation list (bench/validations.py); half of its NICs already in the register, and half of
    those with another operator, so the import creates, updates and leaves entries as they are."""
    from validations.models import RecordType, RegisteredEntry

    data = validation_csv(rows, agency.ori)
    types = {t.mke: t for t in RecordType.objects.all()}
    registered = []
    for i in range(0, rows, 2):
        mke = MKES[i % len(MKES)]
        dte = date(2025, 1, 1) + timedelta(days=i % 600)
        registered.append(RegisteredEntry(agency=agency, nic=f"{mke[0]}{i:09d}", ori=agency.ori, oca=f"26-{i:06d}",
                                          record_type=types[mke], dte=dte, subject=f"SUBJECT {i}",
                                          operator=f"OPR{i % 40}" if i % 4 == 0 else "OLD"))
    RegisteredEntry.objects.bulk_create(registered, batch_size=5000)
    changed = sum(1 for r in registered if r.operator == "OLD")
    return data, {"received_on": RECEIVED_ON.isoformat()}, {
        "entries": rows, "entry history": rows, "register": rows,
        "register history (created)": rows - len(registered), "register history (updated)": changed}


def validation_landed(agency, counts: dict) -> dict:
    from validations.models import RegisteredEntry, ValidationCycle, ValidationEntry

    cycle = ValidationCycle.objects.get(agency=agency, received_on=RECEIVED_ON)
    reason = "Validation list import (big.csv)"
    return {
        "entries": ValidationEntry.objects.filter(cycle=cycle, registered_entry__isnull=False).count(),
        "entry history": ValidationEntry.history.filter(cycle=cycle, history_type="+",
                                                        history_change_reason=reason).count(),
        "register": RegisteredEntry.objects.filter(agency=agency, operator__startswith="OPR").count(),
        "register history (created)": RegisteredEntry.history.filter(
            agency=agency, history_type="+", history_change_reason=reason).count(),
        "register history (updated)": RegisteredEntry.history.filter(
            agency=agency, history_type="~", history_change_reason=reason).count(),
    }


# --- account activity and state accounts (state_access/importers.py) ---------------------------------------

def activity_world(agency, rows: int):
    """One WebLEDS account a person; the file logs every one of them in on a later day than on file, but for every
    tenth, whose file date is older (unchanged)."""
    from state_access.models import StateAccount, StateSystem

    system = StateSystem.objects.get(agency__isnull=True, name="WebLEDS")
    start = datetime(2024, 1, 2, 12, tzinfo=UTC)
    StateAccount.objects.bulk_create([
        StateAccount(person_id=pk, system=system, username=f"web{i:06d}", status="active", requested_at=start,
                     activated_at=start, last_login_on=date(2026, 6, 1))
        for i, pk in enumerate(_people(agency, rows))], batch_size=5000)
    lines = ["username,last_login\n"]
    lines += [f"WEB{i:06d},{'2026-05-01' if i % 10 == 0 else '2026-11-20'}\n" for i in range(rows)]
    updated = sum(1 for i in range(rows) if i % 10)
    return "".join(lines).encode(), {"system": system.pk}, {"logins updated": updated, "history": updated}


def activity_landed(agency, counts: dict) -> dict:
    from state_access.models import StateAccount

    accounts = StateAccount.objects.filter(person__agency=agency)
    return {"logins updated": accounts.filter(last_login_on=date(2026, 11, 20)).count(),
            "history": StateAccount.history.filter(
                history_type="~", history_change_reason="Account-activity import (big.csv)",
                person__agency=agency).count()}


def state_accounts_world(agency, rows: int):
    """Four state systems a person; every tenth person's WebLEDS account is already on file (requested), the
    file says it is active: the import adds the rest and updates those."""
    from state_access.models import StateAccount, StateSystem

    systems = {s.name: s for s in StateSystem.objects.filter(agency__isnull=True, name__in=SYSTEMS)}
    people = _people(agency, rows // len(SYSTEMS) + 1)
    existing = [StateAccount(person_id=pk, system=systems["WebLEDS"], username=f"webleds{i:06d}",
                             status="requested", requested_at=REQUESTED)
                for i, pk in enumerate(people) if i % 10 == 0 and i * len(SYSTEMS) < rows]
    StateAccount.objects.bulk_create(existing, batch_size=5000)
    lines = ["system,username,employee_id,status,created_on,last_login\n"]
    for i in range(len(people)):
        for name in SYSTEMS:
            if len(lines) > rows:
                break
            short = name.split()[0].replace("/", "").lower()
            lines.append(f"{name},{short}{i:06d},E{i:06d},active,2024-03-01,2026-11-{1 + i % 20:02d}\n")
    return "".join(lines).encode(), {}, {"accounts": rows, "added": rows - len(existing),
                                         "history (added)": rows - len(existing), "updated": len(existing),
                                         "history (updated)": len(existing)}


def state_accounts_landed(agency, counts: dict) -> dict:
    from state_access.models import StateAccount

    accounts = StateAccount.objects.filter(person__agency=agency)
    history = StateAccount.history.filter(person__agency=agency, history_change_reason="State-account import (big.csv)")
    return {"accounts": accounts.filter(status="active", last_login_on__isnull=False).count(),
            "added": accounts.count() - counts["updated"],
            "history (added)": history.filter(history_type="+").count(),
            "updated": accounts.filter(status="active", requested_at=REQUESTED).count(),  # on file before
            "history (updated)": history.filter(history_type="~").count()}


IMPORTS = {  # kind: (builds the agency and the file, checks what landed)
    "records": (records_world, records_landed),
    "validation_list": (validation_world, validation_landed),
    "account_activity": (activity_world, activity_landed),
    "state_accounts": (state_accounts_world, state_accounts_landed),
}


def measure(kind: str, index: int, rows: int, *, db_url: str, redis_url: str, workdir: Path) -> dict:
    from django.db import connection

    from people.models import Agency

    agency = Agency.objects.create(ori=f"OR{index + 1:02d}00000", name=f"Agency for {kind}")
    build, landed = IMPORTS[kind]
    started = time.perf_counter()
    data, options, expected = build(agency, rows)
    with connection.cursor() as cursor:  # planner statistics, as autovacuum keeps them after a bulk load
        cursor.execute("ANALYZE")
    built_s = time.perf_counter() - started
    figures = worker_import(agency, bench_user(agency, kind.replace("_", "")), kind=kind, data=data, rows=rows,
                            options=options, db_url=db_url, redis_url=redis_url, workdir=workdir)
    found = landed(agency, expected)
    wrong = {name: (found.get(name), count) for name, count in expected.items() if found.get(name) != count}
    if wrong:
        raise SystemExit(f"{kind}: what landed differs from the file (found, expected): {wrong}")
    return {**figures, "built_s": round(built_s, 1), "landed": found, "load": round(os.getloadavg()[0], 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--only", default=",".join(KINDS), help="comma-separated imports to measure")
    args = parser.parse_args()
    kinds = [kind for kind in args.only.split(",") if kind]
    unknown = [kind for kind in kinds if kind not in IMPORTS]
    if unknown:
        parser.error(f"unknown import {', '.join(unknown)} (choose from {', '.join(KINDS)})")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a stopped bench still stops its worker
    workdir = Path(tempfile.mkdtemp(prefix="bench_import_memory_"))
    results = {}
    try:
        with private_redis(workdir) as redis_url:
            os.environ["REDIS_URL"] = redis_url  # the bench queues on the broker its worker reads
            with scratch_database("bench_import_memory") as db_url:
                for index, kind in enumerate(kinds):
                    results[kind] = measure(kind, index, args.rows, db_url=db_url, redis_url=redis_url,
                                            workdir=workdir)
                    print(f"{kind}: {results[kind]}", file=sys.stderr)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(args.rows, results)


def report(rows: int, results: dict) -> None:
    table = [("import", f"{rows:,} rows through a worker: plan / confirm (plan again and import)")]
    for kind, r in results.items():
        within = r["plan_peak_mb"] <= TARGET_MB and r["apply_peak_mb"] <= TARGET_MB
        table.append((kind, f"plan {r['plan_s']:.1f} s, peak {r['plan_peak_mb']:.0f} MB; confirm {r['apply_s']:.1f} s, "
                            f"peak {r['apply_peak_mb']:.0f} MB (idle {r['idle_mb']:.0f} MB; target <= {TARGET_MB} MB: "
                            f"{'met' if within else 'MISSED'}); load {r['load']:.1f}"))
        table.append(("", "landed: " + ", ".join(f"{name} {count:,}" for name, count in r["landed"].items())))
    print_table(table)
    print(json.dumps({"rows": rows, "target_mb": TARGET_MB, "imports": {
        kind: {**{key: value for key, value in r.items() if key != "landed"}, "landed": r["landed"],
               "within_target": r["plan_peak_mb"] <= TARGET_MB and r["apply_peak_mb"] <= TARGET_MB}
        for kind, r in results.items()}}))


if __name__ == "__main__":
    main()
