"""A real browser and a real Celery worker (issue 17): a roster over IMPORT_INLINE_MAX_ROWS goes to the job's page,
whose progress region is a polite live region that axe-core finds no serious fault in; the worker plans the file,
the preview opens on the same page, the confirm hands it back to the worker, and the browser lands on the roster
with the import's message."""

import pytest

from people.models import ImportJob, Person
from tests.browser.test_accessibility import AXE_RUN, axe_source
from tests.browser.test_compliance_browser import sign_in
from tests.common.test_import_jobs import roster
from tests.common.test_import_worker import sending_to
from tests.processes import celery_worker, free_port, process_env, worker_log

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROWS = 300
INLINE = 50  # the web and the worker both take a file of more than 50 rows for large


@pytest.fixture
def browser_context_args(browser_context_args):
    """axe-core is injected into the page, which the strict CSP would refuse (as in test_accessibility)."""
    return {**browser_context_args, "bypass_csp": True}


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=axe_source())
    return [f"{v['rule']} [{v['impact']}] {v['help']}: {'; '.join(v['nodes'])}" for v in page.evaluate(AXE_RUN)]


def test_a_large_roster_shows_its_progress_then_its_preview_and_imports_through_the_worker(
        world, live_server, page, redis, tmp_path, settings):
    settings.IMPORT_INLINE_MAX_ROWS = INLINE
    env = process_env(redis_url=redis.url, smtp_port=free_port(), workdir=tmp_path, IMPORT_INLINE_MAX_ROWS=INLINE)
    upload = tmp_path / "big-roster.csv"
    upload.write_bytes(roster(ROWS))
    sign_in(page, live_server, world.users["leds_rep"])
    with sending_to(redis.url):
        page.goto(f"{live_server.url}/people/import/")
        page.set_input_files("#roster-file", str(upload))
        page.click("#preview-import")
        job = ImportJob.objects.get()
        job_url = f"{live_server.url}/imports/{job.pk}/"
        page.wait_for_url(job_url)
        # no worker yet: the job waits, and its page shows the progress region
        region = page.locator("#import-progress-status")
        assert region.get_attribute("role") == "status" and region.get_attribute("aria-live") == "polite"
        assert region.locator("#import-progress-bar").is_visible()
        assert "Waiting for a worker" in region.inner_text()
        page.wait_for_timeout(1500)  # htmx has polled and replaced the progress inside the region, which stays
        assert page.locator("#import-progress-status #import-progress").count() == 1
        assert not (problems := serious_violations(page)), "\n".join(problems)
        try:
            with celery_worker(env, tmp_path, beat=False):
                page.wait_for_selector("#import-summary", timeout=120_000)  # the worker planned: the preview
                assert page.url == job_url
                assert f"{ROWS} to create" in page.inner_text("#import-summary")
                assert not (problems := serious_violations(page)), "\n".join(problems)
                assert not Person.objects.filter(employee_id__startswith="J").exists()
                page.click("#confirm-import")
                page.wait_for_url(f"{live_server.url}/people/", timeout=180_000)
        except Exception as exc:
            raise AssertionError(f"{exc}\n{worker_log(tmp_path)}") from None
    assert f"big-roster.csv imported: created {ROWS}, updated 0, unchanged 0." in page.inner_text("main")
    assert Person.objects.filter(agency=world.agency, employee_id__startswith="J").count() == ROWS
    assert ImportJob.objects.get().status == ImportJob.Status.APPLIED
