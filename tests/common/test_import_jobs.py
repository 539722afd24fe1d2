"""Large imports (issue 17): a file above IMPORT_INLINE_MAX_ROWS is stored as a job, read and planned by a Celery
task (run inline here by the test settings; tests/common/test_import_worker.py uses a real worker), previewed on the
job's page after its progress, and confirmed through a task. Small files keep the preview in the request."""

import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common.tabular import keep_upload, load_upload, purge_kept_uploads
from people.models import ImportJob, Person
from people.services import save_column_mapping
from validations.models import ValidationCycle

HEADER = "employee_id,last_name,first_name,email,position,assignment_date,role_tier,supervisor_employee_id,status"


def roster(rows: int, *, bad_line: int | None = None) -> bytes:
    lines = [HEADER]
    for i in range(rows):
        day = "2026-13-45" if bad_line == i + 2 else "2024-01-15"
        lines.append(f"J{i:05d},Last{i},First{i},,Officer,{day},3,,active")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def big(settings):
    settings.IMPORT_INLINE_MAX_ROWS = 5


def _upload(client, content: bytes, name: str = "hr.csv"):
    return client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, content)})


def test_a_small_file_is_still_previewed_in_the_request(world, login, big):
    response = _upload(login(world.users["leds_rep"]), roster(4))
    assert response.status_code == 200 and "4 to create" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_file_goes_through_a_task_with_progress_then_preview_then_confirm(
        world, login, big, django_capture_on_commit_callbacks):
    client = login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, roster(12))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("people:import_job", args=[job.pk])
    assert (job.agency, job.uploaded_by, job.status) == (world.agency, world.users["leds_rep"], "planned")
    assert (job.done, job.total) == (12, 12)
    assert not Person.objects.filter(employee_id__startswith="J").exists()  # the preview writes nothing
    poll = client.get(response.url, headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll["HX-Redirect"] == response.url  # done: the whole page follows
    preview = client.get(response.url)
    body = preview.content.decode()
    assert "Roster import preview" in body and "12 to create" in body and "Confirm and import" in body
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("people:import_confirm"), {"token": preview.context["token"]})
    assert confirmed.url == response.url
    assert Person.objects.filter(agency=world.agency, employee_id__startswith="J").count() == 12
    done = client.get(response.url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("people:roster")
    assert "hr.csv imported: created 12" in done.content.decode()
    job.refresh_from_db()
    assert job.status == "applied" and bytes(job.data) == b""  # the stored file is gone once imported
    # a second confirm of the same job imports nothing twice
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import_confirm"), {"token": preview.context["token"]})
    assert Person.objects.filter(agency=world.agency, employee_id__startswith="J").count() == 12


def test_while_a_worker_has_it_the_page_shows_a_progress_bar_polled_every_second(world, login, big):
    client = login(world.users["leds_rep"])
    job = ImportJob.objects.create(agency=world.agency, uploaded_by=world.users["leds_rep"], kind="roster",
                                   filename="hr.csv", data=roster(12), status="planning", step="Reading the rows",
                                   done=3000, total=12000)
    page = client.get(reverse("people:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'class="leds-progress" max="12000" value="3000"' in page
    fragment = client.get(reverse("people:import_job", args=[job.pk]), headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text
    assert "Reading the rows" in text and "3,000 of 12,000 rows (25%)" in text


def test_row_errors_name_line_and_column_and_nothing_is_imported(world, login, big,
                                                                 django_capture_on_commit_callbacks):
    client = login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, roster(12, bad_line=9))
    body = client.get(response.url).content.decode()
    assert "line 9, column assignment_date: &quot;2026-13-45&quot; is not a date" in body
    assert "Confirm and import" not in body
    assert not Person.objects.filter(employee_id__startswith="J").exists()


def test_more_rows_than_the_cap_is_refused_with_a_clear_message(world, login, big, settings,
                                                                django_capture_on_commit_callbacks):
    settings.IMPORT_MAX_ROWS = 10
    client = login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, roster(11))
    page = client.get(response.url)
    assert page.status_code == 200
    assert "The file has more than 10 rows, the most one import takes" in page.content.decode()
    assert ImportJob.objects.get().status == "failed"
    assert not Person.objects.filter(employee_id__startswith="J").exists()


def test_another_agencys_or_another_users_upload_is_a_404(world, login, big, foreign_user):
    job = ImportJob.objects.create(agency=world.agency, uploaded_by=world.users["leds_rep"], kind="roster",
                                   filename="hr.csv", data=roster(12))
    url = reverse("people:import_job", args=[job.pk])
    assert login(world.users["laso"]).get(url).status_code == 404  # same agency, not their upload
    assert login(foreign_user).get(url).status_code == 404
    confirm = login(foreign_user).post(reverse("people:import_confirm"), {"token": f"job:{job.pk}"})
    assert confirm.status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"


def test_a_mapped_large_file_is_remapped_by_the_task(world, login, big, django_capture_on_commit_callbacks):
    save_column_mapping(agency=world.agency, kind="roster", name="default", columns={"emp #": "employee_id"},
                        constants={}, actor=world.users["leds_rep"])
    client = login(world.users["leds_rep"])
    content = roster(12).replace(b"employee_id,", b"Emp #,", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content)
    body = client.get(response.url).content.decode()
    assert "12 to create" in body
    assert ImportJob.objects.get().columns == {"emp #": "employee_id"}


def test_uploads_older_than_a_day_are_removed(world, login, big, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    old = ImportJob.objects.create(agency=world.agency, uploaded_by=world.users["leds_rep"], kind="roster",
                                   filename="old.csv", data=roster(12))
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        _upload(login(world.users["leds_rep"]), roster(12))
    assert list(ImportJob.objects.values_list("filename", flat=True)) == ["hr.csv"]


def test_an_imports_own_choices_reach_the_worker_and_its_confirm_goes_where_the_import_goes(
        world, login, big, django_capture_on_commit_callbacks):
    rows = "".join(f"W{n:09d},OR0240200,26-{n},EW,2026-08-20,DOE {n},OPR1\n" for n in range(1, 9))
    client = login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("validations:import"), {
            "received_on": "2026-11-02",
            "file": SimpleUploadedFile("november.csv", f"NIC,ORI,OCA,MKE,DTE,SUBJECT,OPERATOR\n{rows}".encode())})
    assert ImportJob.objects.get().options == {"received_on": "2026-11-02"}
    preview = client.get(response.url)
    assert '8 entries received <time datetime="2026-11-02">Nov 2, 2026</time>' in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("validations:import_confirm"), {"token": preview.context["token"]})
    cycle = ValidationCycle.objects.get()
    done = client.get(response.url)
    assert done.status_code == 302 and done.url == reverse("validations:cycle", args=[cycle.pk])
    assert cycle.entries.count() == 8 and cycle.history.first().history_user == world.users["leds_rep"]


def test_kept_uploads_never_confirmed_are_removed_a_day_later(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    old = keep_upload(b"employee_id\n", "old.csv", user=world.users["leds_rep"], agency=world.agency)
    new = keep_upload(b"employee_id\n", "new.csv", user=world.users["leds_rep"], agency=world.agency)
    day_and_a_bit = time.time() - 25 * 3600
    for suffix in (".data", ".json"):
        os.utime(tmp_path / "imports" / f"{old}{suffix}", (day_and_a_bit, day_and_a_bit))
    assert purge_kept_uploads() == 2
    assert load_upload(new, user=world.users["leds_rep"], agency=world.agency)[1] == "new.csv"
    assert sorted(p.name for p in (tmp_path / "imports").iterdir()) == sorted([f"{new}.data", f"{new}.json"])
