"""Shared fixtures: an agency with one user per role, a foreign agency's user, a fixed ``today``.

Tests that need PostgreSQL carry the ``postgres`` marker; browser tests the ``browser`` marker. Without
them available the tests are skipped with the reason printed; under CI (CI=true) any skip fails the run.
"""

import datetime
import os
import shutil

import pytest
from django.db import connection

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from accounts.factories import TEST_TOTP_SECRET, enroll_totp
from common.reference_data import ensure_reference_data
from people.factories import AgencyFactory, MembershipFactory, PersonFactory, UserFactory
from people.models import Membership

Role = Membership.Role
TODAY = datetime.date(2026, 11, 23)
PASSWORD = "correct-horse-battery"

ROLE_USERS = {
    "leds_rep": Role.LEDS_REPRESENTATIVE,
    "laso": Role.LASO,
    "supervisor": Role.SUPERVISOR,
    "employee": Role.EMPLOYEE,
    "agency_auditor": Role.AGENCY_AUDITOR,
    "state_auditor": Role.STATE_AUDITOR,
    "training_unit": Role.STATE_TRAINING_UNIT,
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database with every app's reference data (a kept database may come from a flushed run)."""
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def today():
    return TODAY


class World:
    """An agency (OR0240200) with a person and a user per role, a foreign agency, and the state agency."""

    def __init__(self):
        self.agency = AgencyFactory(ori="OR0240200", name="Salem Police Department")
        self.foreign_agency = AgencyFactory(ori="OR0230000", name="Malheur County Sheriff's Office",
                                            time_zone="America/Boise")
        self.state_agency = AgencyFactory(ori="OROSP0000", name="Oregon State Police")
        self.users = {}
        self.people = {}
        for key, role in ROLE_USERS.items():
            home = self.state_agency if role in (Role.STATE_AUDITOR, Role.STATE_TRAINING_UNIT) else self.agency
            user = UserFactory(username=key)
            MembershipFactory(user=user, agency=home, role=role)
            self.people[key] = PersonFactory(
                agency=home, user=user, first_name=key.replace("_", " ").title(), last_name="Tester",
                assigned_on=datetime.date(2025, 1, 6),
            )
            self.users[key] = user
        # the employee reports to the supervisor; one more person is outside the supervisor's chain
        employee = self.people["employee"]
        employee.supervisor = self.people["supervisor"]
        employee.save()
        self.outsider = PersonFactory(agency=self.agency, last_name="Outside", first_name="Chain")
        foreign = UserFactory(username="foreign")
        MembershipFactory(user=foreign, agency=self.foreign_agency, role=Role.LEDS_REPRESENTATIVE)
        self.users["foreign"] = foreign
        self.people["foreign"] = PersonFactory(agency=self.foreign_agency, user=foreign, last_name="Foreign")
        self.foreign_person = PersonFactory(agency=self.foreign_agency, last_name="Elsewhere")

    @property
    def check(self):
        """A fingerprint check of the target person (made on first use), for background URLs."""
        from background.factories import FingerprintCheckFactory

        if not hasattr(self, "_check"):
            self._check = FingerprintCheckFactory(person=self.target)
        return self._check

    @property
    def target(self):
        """A person every agency role, the supervisor and the employee themself may read."""
        return self.people["employee"]


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def agency(world):
    return world.agency


@pytest.fixture
def foreign_user(world):
    return world.users["foreign"]


@pytest.fixture(autouse=True)
def _users_have_a_second_factor():
    """Every interactive user created in a test gets an authenticator app (TEST_TOTP_SECRET), as after enrollment.

    MFA is required before any agency page (R-SEC-1, accounts.middleware.MFARequiredMiddleware), so a test that
    signs a new user in with ``client.force_login`` still reaches its page. Tests of enrollment itself remove
    the authenticator (``Authenticator.objects.filter(user=...).delete()``).
    """
    from django.db.models.signals import post_save

    from accounts.models import User

    def enroll(sender, instance, created, raw=False, **kwargs):
        if created and not raw and not instance.is_system:
            enroll_totp(instance, TEST_TOTP_SECRET)

    post_save.connect(enroll, sender=User, dispatch_uid="tests_enroll_totp")
    try:
        yield
    finally:
        post_save.disconnect(sender=User, dispatch_uid="tests_enroll_totp")


@pytest.fixture(autouse=True)
def _celery_may_wait_for_a_result():
    """Each test starts outside any Celery task, as far as Celery can tell.

    An eager task sets Celery's "a task is running here" flag while it runs and restores the value it found; the
    flag is one global for the whole process, not one per thread, so eager tasks run at the same moment by the
    threads of a race test (or the live server's thread) can leave it set. A later test's ``.delay().get()`` in
    the same process then fails with "Never call result.get() within a task!" (seen under pytest-xdist, where a
    worker runs a random share of the suite in a random order).
    """
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


def refresh_compliance(today: datetime.date | None = None) -> int:
    """What the refresh worker does seconds after a commit (compliance.tasks.refresh_stale_obligations, issue 23).

    A test's transaction never commits, so the on-commit task never runs by itself: a test that reads the stored
    obligations (dashboard, class suggestions, validators) after a write runs the worker's step here — for the
    agencies' real today, or for ``today`` (a test's fixed date).
    """
    from compliance.models import StaleMark
    from compliance.obligations import refresh_agency, refresh_stale

    if today is None:
        return refresh_stale()
    agency_ids = sorted(set(StaleMark.objects.values_list("agency_id", flat=True)))
    for agency_id in agency_ids:
        refresh_agency(agency_id, today)
    return len(agency_ids)


def mfa_login(client, user):
    """Sign ``user`` in as after password + TOTP code (the sign-in flow itself is tested in tests/accounts)."""
    import time

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "username": user.get_username()},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)  # allauth reads the records only with it
    session.save()
    return client


@pytest.fixture
def login(client):
    """Sign a user in for the test client with an MFA-complete session."""

    def _login(user):
        return mfa_login(client, user)

    return _login


def pytest_collection_modifyitems(config, items):
    vendor = connection.vendor
    chromium = shutil.which("chromium")
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("serialized_rollback"):
            # Reference data is ensured after every flush (common.reference_data, on post_migrate); reloading a
            # serialized copy on top of it would only cost time and restore stale content-type keys.
            raise pytest.UsageError(f"{item.nodeid}: transactional tests need no serialized_rollback")
        if "postgres" in item.keywords and vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL (DATABASE_URL); running on {vendor}"))
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(pytest.mark.skip(reason="needs Redis (REDIS_URL is not set)"))
        if "browser" in item.keywords and not chromium:
            item.add_marker(pytest.mark.skip(reason="needs Debian's chromium (apt-get install chromium)"))


def pytest_sessionfinish(session, exitstatus):
    """Under CI every skip is a failure: CI must exercise PostgreSQL, Redis and the browser.

    Under pytest-xdist each worker's reports reach the controller's terminal reporter, so the controller counts
    every worker's skips and sets the exit status; a worker's own exit status is not the run's, so it leaves it.
    """
    if os.environ.get("CI", "").lower() != "true" or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; a skip under CI fails the run.", red=True)
        session.exitstatus = 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def redis(tmp_path):
    """A private redis-server on a spare port, which a test may stop and start (tests.processes)."""
    from tests.processes import PrivateRedis

    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    """A real SMTP sink (aiosmtpd) that logs every message and can refuse, defer or slow down (tests.processes)."""
    from tests.processes import SmtpSink

    sink = SmtpSink()
    yield sink
    sink.stop()
