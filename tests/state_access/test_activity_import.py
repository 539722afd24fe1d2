"""The monthly account-activity import (R-AC-3): command line and browser, errors by line, all or nothing."""

import datetime
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from people.factories import PersonFactory
from state_access.factories import StateAccountFactory, state_system


@pytest.fixture
def accounts(world):
    webleds = state_system("WebLEDS")
    return {
        "ada": StateAccountFactory(person=world.target, system=webleds, username="ADA01"),
        "bo": StateAccountFactory(person=PersonFactory(agency=world.agency), system=webleds, username="bo02",
                                  last_login_on=datetime.date(2026, 11, 1)),
        "foreign": StateAccountFactory(person=world.foreign_person, system=webleds, username="far03"),
    }


def _run(tmp_path, agency, text, *extra):
    path = tmp_path / "activity.csv"
    path.write_text(text)
    out, err = StringIO(), StringIO()
    call_command("import_account_activity", "--agency", agency.ori, "--system", "webleds", str(path), *extra,
                 stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_r_ac_3_command_updates_last_logins_and_keeps_the_newer(world, accounts, tmp_path):
    out, _ = _run(tmp_path, world.agency, "Username,Last_Login\nada01,2026-11-20\nbo02,10/15/2026\n")
    assert "last login updated for 1, unchanged 1" in out
    accounts["ada"].refresh_from_db()
    accounts["bo"].refresh_from_db()
    assert accounts["ada"].last_login_on == datetime.date(2026, 11, 20)
    assert accounts["bo"].last_login_on == datetime.date(2026, 11, 1)  # an older login changes nothing
    assert accounts["ada"].history.first().history_change_reason == "Account-activity import (activity.csv)"


def test_r_ac_3_errors_are_reported_by_line_and_nothing_is_written(world, accounts, tmp_path):
    text = ("username,last_login\nada01,2026-11-20\nfar03,2026-11-20\n,2026-11-01\nbo02,2026-13-45\n"
            "ada01,2026-11-21\n")
    with pytest.raises(CommandError, match="4 errors; nothing imported"):
        _run(tmp_path, world.agency, text)
    path = tmp_path / "activity.csv"
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_account_activity", "--agency", world.agency.ori, "--system", "WebLEDS", str(path),
                     stderr=err)
    assert err.getvalue().splitlines() == [
        'line 3, column username: no WebLEDS account with user name "far03" in OR0240200',
        "line 4, column username: is required",
        'line 5, column last_login: "2026-13-45" is not a date (YYYY-MM-DD or M/D/YYYY)',
        'line 6, column username: "ada01" is listed twice (first on line 2)',
    ]
    accounts["ada"].refresh_from_db()
    assert accounts["ada"].last_login_on is None


def test_r_ac_3_unknown_system_is_refused(world, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("username,last_login\nx,2026-11-01\n")
    with pytest.raises(CommandError, match='no state system named "Nope"'):
        call_command("import_account_activity", "--agency", world.agency.ori, "--system", "Nope", str(path))


def test_r_ac_3_browser_upload_preview_then_confirm(world, accounts, login):
    client = login(world.users["leds_rep"])
    upload = SimpleUploadedFile("activity.csv", b"username,last_login\nada01,2026-11-20\n", content_type="text/csv")
    preview = client.post(reverse("background:import_activity"),
                          {"system": state_system("WebLEDS").pk, "file": upload})
    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="import-summary"' in body and "ADA01" in body
    accounts["ada"].refresh_from_db()
    assert accounts["ada"].last_login_on is None  # the preview writes nothing
    response = client.post(reverse("background:import_activity_confirm"),
                           {"token": preview.context["token"], "system": state_system("WebLEDS").pk})
    assert response.status_code == 302
    accounts["ada"].refresh_from_db()
    assert accounts["ada"].last_login_on == datetime.date(2026, 11, 20)


def test_r_ac_3_browser_upload_lists_every_error(world, accounts, login):
    client = login(world.users["leds_rep"])
    upload = SimpleUploadedFile("activity.csv", b"username,last_login\nnobody,2026-11-20\nada01,soon\n")
    body = client.post(reverse("background:import_activity"),
                       {"system": state_system("WebLEDS").pk, "file": upload}).content.decode()
    assert 'id="import-errors"' in body
    assert "line 2, column username" in body and "line 3, column last_login" in body


def test_r_ac_3_a_file_larger_than_a_write_batch_updates_every_login_once_with_history(world, tmp_path,
                                                                                       monkeypatch):
    """Issue 17: logins go WRITE_BATCH at a time (2 here): across the batches every account the file names is
    updated once, with one history row, and an older login still changes nothing."""
    from state_access import importers
    from state_access.models import StateAccount

    monkeypatch.setattr(importers, "WRITE_BATCH", 2)
    webleds = state_system("WebLEDS")
    for i in range(7):
        StateAccountFactory(person=PersonFactory(agency=world.agency), system=webleds, username=f"many{i}",
                            last_login_on=datetime.date(2026, 10, 1))
    text = "username,last_login\n" + "".join(f"MANY{i},2026-11-{10 + i}\n" for i in range(6)) + "many6,2026-09-01\n"
    out, _ = _run(tmp_path, world.agency, text)
    assert "last login updated for 6, unchanged 1" in out
    logins = dict(StateAccount.objects.filter(username__startswith="many").values_list("username", "last_login_on"))
    assert logins == {**{f"many{i}": datetime.date(2026, 11, 10 + i) for i in range(6)},
                      "many6": datetime.date(2026, 10, 1)}
    history = StateAccount.history.filter(history_type="~",
                                          history_change_reason="Account-activity import (activity.csv)")
    assert sorted(history.values_list("username", "last_login_on")) == sorted(
        (f"many{i}", datetime.date(2026, 11, 10 + i)) for i in range(6))


def test_r_ac_3_a_large_file_is_previewed_from_its_job_and_confirmed(world, login, settings,
                                                                    django_capture_on_commit_callbacks):
    """Issue 17: the plan a worker keeps for the preview holds each account read in part (user name, holder, last
    login); the stored preview still names the account and its holder, and the confirm writes every login."""
    from state_access.models import StateAccount

    settings.IMPORT_INLINE_MAX_ROWS = 2
    webleds = state_system("WebLEDS")
    for i in range(4):
        StateAccountFactory(person=PersonFactory(agency=world.agency, last_name=f"Holder{i}", first_name="Hal"),
                            system=webleds, username=f"job{i}", last_login_on=datetime.date(2026, 10, 1))
    text = "username,last_login\n" + "".join(f"job{i},2026-11-1{i}\n" for i in range(4))
    client = login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("background:import_activity"), {
            "system": webleds.pk, "file": SimpleUploadedFile("activity.csv", text.encode())})
    preview = client.get(response.url)
    body = preview.content.decode()
    assert "line 2: job0 (Holder0, Hal)" in body and "line 5: job3 (Holder3, Hal)" in body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("background:import_activity_confirm"), {"token": preview.context["token"],
                                                                    "system": webleds.pk})
    assert dict(StateAccount.objects.filter(username__startswith="job").values_list("username", "last_login_on")) == {
        f"job{i}": datetime.date(2026, 11, 10 + i) for i in range(4)}


def test_r_ac_3_the_preview_lists_the_first_updates_with_their_holders_in_a_fixed_number_of_queries(
        world, login, monkeypatch):
    """A preview names each listed account's holder, read together (not a query per row), and lists the first
    PREVIEW_ROWS (here 3) of a longer file, saying how many the import updates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from state_access import importers

    monkeypatch.setattr(importers, "PREVIEW_ROWS", 3)
    webleds = state_system("WebLEDS")
    client = login(world.users["leds_rep"])

    def preview(n: int):
        for i in range(n):
            StateAccountFactory(person=PersonFactory(agency=world.agency, last_name=f"Hold{n}x{i}", first_name="Al"),
                                system=webleds, username=f"p{n}x{i}", last_login_on=datetime.date(2026, 10, 1))
        text = "username,last_login\n" + "".join(f"p{n}x{i},2026-11-10\n" for i in range(n))
        upload = SimpleUploadedFile("activity.csv", text.encode(), content_type="text/csv")
        with CaptureQueriesContext(connection) as ctx:
            body = client.post(reverse("background:import_activity"),
                               {"system": webleds.pk, "file": upload}).content.decode()
        return body, len(ctx.captured_queries)

    client.get(reverse("background:import_activity"))  # the session's first-request bookkeeping
    body_2, queries_2 = preview(2)
    body_6, queries_6 = preview(6)
    assert "line 2: p2x0 (Hold2x0, Al)" in body_2 and "line 3: p2x1 (Hold2x1, Al)" in body_2
    assert "line 4: p6x2 (Hold6x2, Al)" in body_6 and "p6x3" not in body_6.split('id="import-summary"')[1][:2000]
    assert "the import updates all 6" in body_6
    assert queries_6 == queries_2
