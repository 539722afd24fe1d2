"""Onboarding the accounts an agency already has (issue 21): import_state_accounts, all or nothing, idempotent."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from people.factories import PersonFactory
from state_access.factories import StateAccountFactory, state_system
from state_access.models import StateAccount

GOOD = """system,username,employee_id,status,created_on,last_login
WebLEDS,AAMES,E-201,Active,2019-04-02,2026-11-20
nexTEST,aames,E-201,active,3/15/2020,
LEDS 20/20 / eAgent,bbirch,E-202,disabled,2018-01-09,2024-06-30
WebLEDS,bbirch,E-202,disable requested,2018-01-09,2026-10-02
"""


@pytest.fixture
def people(world):
    return {"ann": PersonFactory(agency=world.agency, employee_id="E-201", last_name="Ames"),
            "bob": PersonFactory(agency=world.agency, employee_id="E-202", last_name="Birch")}


def _write(tmp_path, text, name="accounts.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def _run(path, agency):
    call_command("import_state_accounts", path, "--agency", agency.ori)


def test_imports_every_account_and_reimport_changes_nothing(world, people, tmp_path, capsys):
    for name in ("nexTEST", "LEDS 20/20 / eAgent"):
        state_system(name)
    path = _write(tmp_path, GOOD)
    _run(path, world.agency)
    assert "added 4, updated 0, unchanged 0" in capsys.readouterr().out
    ann_webleds = StateAccount.objects.get(person=people["ann"], system__name="WebLEDS")
    assert (ann_webleds.username, ann_webleds.status, ann_webleds.last_login_on) == (
        "AAMES", "active", date(2026, 11, 20))
    assert ann_webleds.history.first().history_change_reason == "State-account import (accounts.csv)"
    assert StateAccount.objects.get(person=people["bob"], system__name="WebLEDS").status == "disable_requested"
    history_rows = StateAccount.history.count()

    _run(path, world.agency)
    assert "added 0, updated 0, unchanged 4" in capsys.readouterr().out
    assert StateAccount.objects.count() == 4 and StateAccount.history.count() == history_rows


def test_an_existing_user_name_is_updated_not_duplicated(world, people, tmp_path, capsys):
    existing = StateAccountFactory(person=people["ann"], system=state_system("WebLEDS"), username="aames",
                                   last_login_on=date(2026, 1, 1))
    _run(_write(tmp_path, "system,username,employee_id,status,created_on,last_login\n"
                          "webleds,AAmes,E-201,disabled,2019-04-02,2026-11-20\n"), world.agency)
    assert "added 0, updated 1" in capsys.readouterr().out
    existing.refresh_from_db()
    assert (existing.status, existing.last_login_on) == ("disabled", date(2026, 11, 20))
    assert StateAccount.objects.filter(person=people["ann"]).count() == 1


def test_one_bad_row_refuses_the_file_whole_naming_line_and_column(world, people, tmp_path, capsys):
    bad = GOOD.replace("E-202,disabled", "E-999,disabled").replace("disable requested", "gone fishing")
    with pytest.raises(CommandError, match="2 errors; nothing imported"):
        _run(_write(tmp_path, bad), world.agency)
    err = capsys.readouterr().err
    assert 'line 4, column employee_id: no person with employee ID "E-999"' in err
    assert 'line 5, column status: "gone fishing" is not a status' in err
    assert not StateAccount.objects.exists()


def test_another_agencys_person_is_not_found(world, people, tmp_path, capsys):
    foreign_id = world.foreign_person.employee_id
    with pytest.raises(CommandError, match="nothing imported"):
        _run(_write(tmp_path, f"system,username,employee_id,status,created_on\nWebLEDS,x1,{foreign_id},active,"
                              "2020-01-01\n"), world.agency)
    assert "no person with employee ID" in capsys.readouterr().err


def test_the_laso_imports_through_the_web_with_the_files_own_headers(world, people, login, client):
    """Issue 21: upload → match the columns → preview → confirm; the mapping is saved for next time."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from people.models import ColumnMapping

    login(world.users["laso"])
    content = ("Application,Login ID,Emp #,Account Status,Created,Last Logon\n"
               "WebLEDS,aames,E-201,Active,2019-04-02,2026-11-20\n")
    response = client.post(reverse("background:import_state_accounts"),
                           {"file": SimpleUploadedFile("osp-accounts.csv", content.encode())})
    assert response.status_code == 302 and "step=map" in response.url
    token = response.url.split("token=")[1].split("&")[0]
    page = client.get(response.url).content.decode()
    assert "Login ID" in page and "aames" in page  # the file's columns with their first values
    mapping = {"col_0": "system", "col_1": "username", "col_2": "employee_id", "col_3": "status",
               "col_4": "created_on", "col_5": "last_login"}
    preview = client.post(reverse("background:import_state_accounts"),
                          {"step": "map", "token": token, "save_as": "default", **mapping})
    body = preview.content.decode()
    assert "1 to add" in body and "osp-accounts.csv" in body
    assert not StateAccount.objects.exists()  # nothing written before the confirmation
    client.post(reverse("background:import_state_accounts_confirm"), {"token": preview.context["token"]})
    account = StateAccount.objects.get(person=people["ann"])
    assert (account.username, account.status) == ("aames", "active")
    assert ColumnMapping.objects.get(agency=world.agency, kind="state_accounts").columns["login id"] == "username"


def test_a_mapping_that_names_one_of_our_columns_twice_is_refused_and_keeps_the_choices(world, people, login,
                                                                                         client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    login(world.users["leds_rep"])
    response = client.post(reverse("background:import_state_accounts"), {"file": SimpleUploadedFile(
        "a.csv", b"App,Login,Emp,State,Made\nWebLEDS,x,E-201,active,2020-01-01\n")})
    token = response.url.split("token=")[1].split("&")[0]
    page = client.post(reverse("background:import_state_accounts"), {
        "step": "map", "token": token, "col_0": "system", "col_1": "username", "col_2": "username",
        "col_3": "status", "col_4": "created_on"})
    body = page.content.decode()
    assert "is already the column" in body and "employee_id" in body
    assert 'value="status" selected' in body  # what was chosen stays chosen
    assert not StateAccount.objects.exists()


def test_a_file_larger_than_a_write_batch_imports_every_account_once_with_history(world, tmp_path, capsys,
                                                                                  monkeypatch):
    """Issue 17: accounts go WRITE_BATCH at a time (3 here): across the batches every account of the file is added
    or updated once, with the step times the file implies and one history row each."""
    from state_access import importers

    monkeypatch.setattr(importers, "WRITE_BATCH", 3)
    state_system("nexTEST")
    people = [PersonFactory(agency=world.agency, employee_id=f"E-3{i}") for i in range(5)]
    for person in people[:2]:  # on file as requested; the file says active
        StateAccountFactory(person=person, system=state_system("WebLEDS"), username=f"web3{person.employee_id[-1]}",
                            status=StateAccount.Status.REQUESTED)
    rows = "".join(f"WebLEDS,web3{i},E-3{i},active,2024-03-0{i + 1},2026-11-2{i}\n"
                   f"nexTEST,next3{i},E-3{i},active,2024-03-0{i + 1},\n" for i in range(5))
    _run(_write(tmp_path, "system,username,employee_id,status,created_on,last_login\n" + rows), world.agency)
    assert "added 8, updated 2, unchanged 0" in capsys.readouterr().out
    accounts = StateAccount.objects.filter(person__agency=world.agency)
    assert sorted(accounts.values_list("username", "status")) == sorted(
        [(f"web3{i}", "active") for i in range(5)] + [(f"next3{i}", "active") for i in range(5)])
    assert sorted(a.activated_at.date() for a in accounts.filter(system__name="nexTEST")) == [
        date(2024, 3, i + 1) for i in range(5)]
    history = StateAccount.history.filter(history_change_reason="State-account import (accounts.csv)")
    assert sorted(history.filter(history_type="+").values_list("username", flat=True)) == sorted(
        [f"web3{i}" for i in range(2, 5)] + [f"next3{i}" for i in range(5)])
    assert sorted(history.filter(history_type="~").values_list("username", flat=True)) == ["web30", "web31"]


def test_a_large_file_is_previewed_from_its_job_and_confirmed(world, people, login, client, settings,
                                                             django_capture_on_commit_callbacks):
    """Issue 17: the plan a worker keeps for the preview holds each new account as what the file says
    (NewAccount); the stored preview lists them as before, and the confirm builds and writes the accounts."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    settings.IMPORT_INLINE_MAX_ROWS = 2
    for name in ("nexTEST", "LEDS 20/20 / eAgent"):
        state_system(name)
    login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("background:import_state_accounts"),
                               {"file": SimpleUploadedFile("accounts.csv", GOOD.encode())})
    body = client.get(response.url).content.decode()
    assert "4 to add" in body and "<td>Ames, " in body and "<td>Disable requested</td>" in body
    preview = client.get(response.url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("background:import_state_accounts_confirm"), {"token": preview.context["token"]})
    webleds = StateAccount.objects.get(person=people["bob"], system__name="WebLEDS")
    assert (webleds.username, webleds.status, webleds.disable_requested_at.date()) == (
        "bbirch", "disable_requested", date(2026, 10, 2))
    assert StateAccount.objects.count() == 4
