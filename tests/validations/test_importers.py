"""The validation-list import: every error of the issue, all or nothing, the register matched by NIC."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agreements.factories import AgreementFactory, AgreementPartyFactory
from agreements.models import Agreement
from validations.factories import RegisteredEntryFactory, record_type
from validations.importers import apply_validation_list, plan_validation_list
from validations.models import RegisteredEntry, ValidationCycle, ValidationEntry

RECEIVED = datetime.date(2026, 11, 2)
HEADER = "NIC,ORI,OCA,MKE,DTE,SUBJECT,OPERATOR\n"

pytestmark = pytest.mark.django_db


def _plan(agency, text, received=RECEIVED):
    return plan_validation_list(agency=agency, received_on=received, data=text.encode(), filename="list.csv")


def test_r_va_1_clean_list_imports_every_entry_with_three_date_formats(agency):
    text = ("nic,Ori,OCA,mke,dte,Subject,extra\n"
            "W123456789,OR0240200,26-1,EW,2026-08-20,\"DOE, JOHN\",x\n"
            "v223456789,or0240200,26-2,ev,8/5/2026,2019 HONDA CIVIC,y\n"
            "G323456789,OR0240200,26-3,EG,20260701,GLOCK 19,z\n")
    plan = _plan(agency, text)
    assert plan.ok, [str(e) for e in plan.errors]
    cycle = apply_validation_list(plan=plan, actor=None, filename="list.csv")
    assert cycle.due_on == datetime.date(2026, 12, 2)  # R-VA-3: received + 30 days
    entries = list(ValidationEntry.objects.filter(cycle=cycle).order_by("line"))
    assert [(e.nic, e.mke, e.dte, e.line) for e in entries] == [
        ("W123456789", "EW", datetime.date(2026, 8, 20), 2),
        ("V223456789", "EV", datetime.date(2026, 8, 5), 3),
        ("G323456789", "EG", datetime.date(2026, 7, 1), 4),
    ]
    assert entries[1].record_type == record_type("EV")
    assert RegisteredEntry.objects.filter(agency=agency).count() == 3
    assert entries[0].history.first().history_change_reason == "Validation list import (list.csv)"


def test_every_error_is_reported_and_nothing_is_written(agency):
    text = HEADER + (
        "W12345678,OR0240200,1,EW,2026-08-20,A,\n"      # line 2: short NIC
        "W223456789,OR0240200,2,EW,2026-13-45,B,\n"     # line 3: bad date
        "W323456789,OR0240200,3,EX,2026-08-20,C,\n"     # line 4: unknown MKE
        "W423456789,OR9999999,4,EW,2026-08-20,D,\n"     # line 5: foreign ORI
        "W523456789,OR0240200,5,EW,2026-08-20,E,\n"     # line 6
        "w523456789,OR0240200,6,EW,2026-08-20,F,\n"     # line 7: NIC twice
    )
    plan = _plan(agency, text)
    assert [str(e) for e in plan.errors] == [
        'line 2, column NIC: "W12345678" is not a NIC (one letter and nine digits, e.g. W123456789)',
        'line 3, column DTE: "2026-13-45" is not a date (YYYY-MM-DD or M/D/YYYY or YYYYMMDD)',
        'line 4, column MKE: "EX" is not a known MKE (EA, EB, EG, ELP, EM, EPO, ES, EV, EW)',
        'line 5, column ORI: "OR9999999" is neither this agency\'s ORI (OR0240200) nor covered by a '
        "holder-of-record agreement in force (R-VA-5)",
        'line 7, column NIC: "W523456789" appears twice in the file (first on line 6)',
    ]
    with pytest.raises(ValueError):
        apply_validation_list(plan=plan, actor=None, filename="list.csv")
    assert not ValidationCycle.objects.exists()


def test_r_va_5_holder_of_record_ori_is_accepted_while_the_agreement_is_in_force(agency):
    agreement = AgreementFactory(agency=agency, kind=Agreement.Kind.HOLDER_OF_RECORD,
                                 effective_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    AgreementPartyFactory(agreement=agreement, ori="OR0249900", name="Marion County Sheriff")
    text = HEADER + "W123456789,OR0249900,1,EW,2026-08-20,A,\n"
    assert _plan(agency, text).ok
    assert not _plan(agency, text, received=datetime.date(2027, 1, 4)).ok  # the agreement ended


def test_entries_are_matched_to_the_register_by_nic(agency):
    existing = RegisteredEntryFactory(agency=agency, nic="W123456789", oca="OLD", last_validated_on=None)
    text = HEADER + ("W123456789,OR0240200,NEW,EW,2026-08-20,DOE,OPR1\n"
                     "W223456789,OR0240200,2,EM,2026-09-01,ROE,OPR1\n")
    plan = _plan(agency, text)
    assert (plan.matched, plan.new_to_register) == (1, 1)
    cycle = apply_validation_list(plan=plan, actor=None, filename="list.csv")
    existing.refresh_from_db()
    assert existing.oca == "NEW"
    assert existing.next_due_on == datetime.date(2026, 11, 18)  # DTE + 90 (R-VA-2)
    assert cycle.entries.get(nic="W123456789").registered_entry == existing
    assert RegisteredEntry.objects.filter(agency=agency).count() == 2


def test_the_same_days_list_is_not_imported_twice(agency):
    from common.tabular import TabularError

    apply_validation_list(plan=_plan(agency, HEADER + "W123456789,OR0240200,1,EW,2026-08-20,A,\n"), actor=None,
                          filename="list.csv")
    with pytest.raises(TabularError, match="already imported"):
        _plan(agency, HEADER + "W123456789,OR0240200,1,EW,2026-08-20,A,\n")


def test_missing_column_refuses_the_file(agency):
    from common.tabular import TabularError

    with pytest.raises(TabularError, match="lacks the required column dte"):
        _plan(agency, "NIC,ORI,OCA,MKE,SUBJECT\nW123456789,OR0240200,1,EW,A\n")


def test_command_imports_and_reports(agency, tmp_path):
    path = tmp_path / "november.csv"
    path.write_text(HEADER + "W123456789,OR0240200,1,EW,2026-08-20,A,\n")
    out = StringIO()
    call_command("import_validation_list", "--agency", "OR0240200", "--received", "2026-11-02", str(path), stdout=out)
    summary = "entries 1, matched to the register 0, new to the register 1, certification due Dec 2, 2026"
    assert summary in out.getvalue()
    assert ValidationCycle.objects.get().history.first().history_user.username == "system:import_validation_list"


def test_command_exits_non_zero_naming_each_bad_row(agency, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "W123456789,OR0240200,1,EW,2026-08-20,A,\nX1,OR0240200,1,EW,2026-08-20,A,\n")
    err = StringIO()
    with pytest.raises(CommandError, match="1 error; nothing imported"):
        call_command("import_validation_list", "--agency", "OR0240200", "--received", "2026-11-02", str(path),
                     stderr=err)
    assert 'line 3, column NIC: "X1" is not a NIC' in err.getvalue()
    assert not ValidationEntry.objects.exists()


def test_command_refuses_a_bad_received_date(agency, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(HEADER + "W123456789,OR0240200,1,EW,2026-08-20,A,\n")
    with pytest.raises(CommandError, match="--received"):
        call_command("import_validation_list", "--agency", "OR0240200", "--received", "11/02/2026", str(path))


def test_xlsx_list_with_date_cells(agency):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NIC", "ORI", "OCA", "MKE", "DTE", "SUBJECT"])
    sheet.append(["E123456789", "OR0240200", "26-9", "EPO", datetime.datetime(2026, 8, 1), "ROE, RICHARD"])
    buffer = BytesIO()
    book.save(buffer)
    plan = plan_validation_list(agency=agency, received_on=RECEIVED, data=buffer.getvalue(), filename="list.xlsx")
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.rows[0][1]["dte"] == datetime.date(2026, 8, 1)


def test_a_list_larger_than_a_write_batch_imports_every_entry_once_with_history(agency, monkeypatch):
    """Issue 17: rows go WRITE_BATCH at a time (3 here): across the batches every entry is written once, matched
    to its own register entry, and every new or changed register entry and every list entry has its history."""
    from validations import importers

    monkeypatch.setattr(importers, "WRITE_BATCH", 3)
    for i in (1, 4, 7):  # on file: one unchanged, two whose operator the list changes
        RegisteredEntryFactory(agency=agency, nic=f"W{i:09d}", ori="OR0240200", oca=f"26-{i}",
                               record_type=record_type("EW"), dte=datetime.date(2026, 8, 1), subject=f"S{i}",
                               operator="OPR" if i == 1 else "OLD")
    text = HEADER + "".join(f"W{i:09d},OR0240200,26-{i},EW,2026-08-01,S{i},OPR\n" for i in range(10))
    plan = _plan(agency, text)
    assert (plan.matched, plan.new_to_register) == (3, 7)
    cycle = apply_validation_list(plan=plan, actor=None, filename="list.csv")
    entries = list(cycle.entries.select_related("registered_entry").order_by("line"))
    assert [e.nic for e in entries] == [f"W{i:09d}" for i in range(10)]
    assert all(e.registered_entry.nic == e.nic for e in entries)
    register = RegisteredEntry.objects.filter(agency=agency)
    assert register.count() == 10 and set(register.values_list("operator", flat=True)) == {"OPR"}
    history = RegisteredEntry.history.filter(agency=agency, history_change_reason="Validation list import (list.csv)")
    assert sorted(history.filter(history_type="+").values_list("nic", flat=True)) == [
        f"W{i:09d}" for i in range(10) if i not in (1, 4, 7)]
    assert sorted(history.filter(history_type="~").values_list("nic", flat=True)) == ["W000000004", "W000000007"]
    assert sorted(ValidationEntry.history.filter(cycle=cycle, history_type="+").values_list("nic", flat=True)) == [
        e.nic for e in entries]


def test_entries_on_the_register_are_read_with_their_record_type_in_a_fixed_number_of_queries(agency):
    """A list matching 2 or 10 entries of the register costs the same queries: each batch reads its entries with
    their record type (compared and used for the next due date) in one query, not one more per entry."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(first: int, count: int, received: datetime.date) -> int:
        for i in range(first, first + count):
            RegisteredEntryFactory(agency=agency, nic=f"W{i:09d}", ori="OR0240200", oca=f"26-{i}",
                                   record_type=record_type("EW"), dte=datetime.date(2026, 8, 1), subject=f"S{i}",
                                   operator="OLD")
        text = HEADER + "".join(f"W{i:09d},OR0240200,26-{i},EW,2026-08-01,S{i},OPR\n"
                                for i in range(first, first + count))
        plan = _plan(agency, text, received=received)
        with CaptureQueriesContext(connection) as ctx:
            apply_validation_list(plan=plan, actor=None, filename="list.csv")
        return len(ctx.captured_queries)

    assert queries(0, 2, RECEIVED) == queries(100, 10, datetime.date(2026, 12, 1))
