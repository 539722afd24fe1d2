"""Large imports against a real Celery worker (issue 17): the web process stores the upload as a job and hands it to
the worker over a private Redis; the test polls the progress fragment as htmx would, sees the preview, confirms, and
polls again until the import is done. A file over IMPORT_MAX_ROWS is refused on the job's page."""

import contextlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ledsadmin.celery import app
from people.models import ImportJob, Person
from tests.common.test_import_jobs import roster
from tests.processes import celery_worker, free_port, process_env, wait_for, worker_log

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROWS = 6_000


@contextlib.contextmanager
def sending_to(broker_url: str):
    """The web side (this test process) hands tasks to the worker's broker instead of running them inline."""
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = broker_url, False
    app._after_fork()  # forget the connection pools made for the old broker URL, as a forked process does
    try:
        yield
    finally:
        app.pool.force_close_all()
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._after_fork()


def _poll(client, url: str, seen: list) -> bool:
    """One htmx poll of the job's fragment: True once it sends the browser to the whole page."""
    response = client.get(url, headers={"HX-Request": "true", "X-Background-Poll": "1"})
    if response.status_code == 204:
        assert response["HX-Redirect"] == url
        return True
    assert response.status_code == 200
    seen.append(response.content.decode())
    return False


def test_a_large_roster_is_planned_and_imported_by_a_real_worker(world, login, redis, tmp_path, settings,
                                                                 foreign_user):
    settings.IMPORT_INLINE_MAX_ROWS = 2_000
    env = process_env(redis_url=redis.url, smtp_port=free_port(), workdir=tmp_path)
    client = login(world.users["leds_rep"])
    with sending_to(redis.url), celery_worker(env, tmp_path, beat=False):
        try:
            response = client.post(reverse("people:import"),
                                   {"file": SimpleUploadedFile("big-roster.csv", roster(ROWS))})
            job = ImportJob.objects.get()
            url = reverse("people:import_job", args=[job.pk])
            assert response.status_code == 302 and response.url == url
            page = client.get(url).content.decode()
            assert 'id="import-progress-bar"' in page and 'hx-trigger="every 1s"' in page
            seen: list[str] = []
            wait_for(lambda: _poll(client, url, seen), timeout=120, interval=0.2, what="the worker's plan")
            assert seen and all("import-progress-bar" in fragment for fragment in seen)
            assert login(foreign_user).get(url).status_code == 404  # another agency's upload
            client = login(world.users["leds_rep"])
            preview = client.get(url)
            body = preview.content.decode()
            assert f"{ROWS} to create" in body and "Confirm and import" in body
            assert not Person.objects.filter(employee_id__startswith="J").exists()
            confirmed = client.post(reverse("people:import_confirm"), {"token": preview.context["token"]})
            assert confirmed.url == url
            wait_for(lambda: _poll(client, url, seen), timeout=180, interval=0.5, what="the worker's import")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path)}") from None
    done = client.get(url, follow=True)
    assert done.redirect_chain[-1][0] == reverse("people:roster")
    assert f"big-roster.csv imported: created {ROWS}" in done.content.decode()
    assert Person.objects.filter(agency=world.agency, employee_id__startswith="J").count() == ROWS
    assert ImportJob.objects.get().status == ImportJob.Status.APPLIED


def test_a_file_over_the_row_cap_is_refused_by_the_worker_with_a_clear_message(world, login, redis, tmp_path,
                                                                                 settings):
    settings.IMPORT_INLINE_MAX_ROWS, settings.IMPORT_MAX_ROWS = 100, 2_500
    env = process_env(redis_url=redis.url, smtp_port=free_port(), workdir=tmp_path, IMPORT_MAX_ROWS=2_500)
    client = login(world.users["leds_rep"])
    with sending_to(redis.url), celery_worker(env, tmp_path, beat=False):
        try:
            response = client.post(reverse("people:import"), {"file": SimpleUploadedFile("huge.csv", roster(2_501))})
            wait_for(lambda: _poll(client, response.url, []), timeout=120, interval=0.2, what="the worker")
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path)}") from None
    page = client.get(response.url).content.decode()
    assert "The file has more than 2,500 rows, the most one import takes." in page
    assert 'type="file"' in page  # back on the upload page
    assert not Person.objects.filter(employee_id__startswith="J").exists()
