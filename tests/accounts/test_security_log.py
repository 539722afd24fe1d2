"""The security log (R-SEC-5): append-only, hash-chained, verifiable, pruned only past the retention."""

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import security_log
from accounts.models import SecurityEvent, SecurityLogHead
from people.factories import UserFactory

Kind = SecurityEvent.Kind


def _append(n, **kwargs):
    return [security_log.record(event=Kind.ADMIN_ACTION, target=f"thing {i}", **kwargs) for i in range(n)]


def _verify_output():
    from io import StringIO

    out = StringIO()
    call_command("verify_security_log", stdout=out)
    return out.getvalue().strip()


def test_r_sec_5_rows_chain_to_the_previous_hash(db):
    rows = _append(3)
    assert rows[0].prev_hash == security_log.GENESIS_HASH
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert len({r.hash for r in rows}) == 3
    assert _verify_output() == "security log OK (3 rows)"


def test_record_takes_actor_ip_and_agency_from_the_request(world):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = world.users["laso"]
    request.agency = world.agency
    row = security_log.record(event=Kind.BACKGROUND_RECORD_READ, request=request, target="background check 7")
    row.refresh_from_db()
    assert (row.actor, row.actor_username, row.agency, row.ip_address) == (
        world.users["laso"], "laso", world.agency, "10.1.2.3")
    assert security_log.verify().ok


def test_record_without_request_uses_the_subjects_agency(world):
    row = security_log.record(event=Kind.SIGN_IN_FAILED, actor=None, actor_username="employee",
                              subject=world.users["employee"], outcome=SecurityEvent.Outcome.FAILURE)
    assert row.agency == world.agency and row.actor is None


def test_r_sec_5_verify_names_a_row_changed_in_the_database(db):
    rows = _append(4)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_securityevent SET target = %s WHERE id = %s", ["nothing", rows[2].pk])
    with pytest.raises(CommandError) as caught:
        _verify_output()
    assert caught.value.returncode == 1
    assert f"row #{rows[2].pk}" in str(caught.value)


def test_r_sec_5_verify_finds_a_row_removed_in_the_middle(db):
    rows = _append(4)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_securityevent WHERE id = %s", [rows[1].pk])
    result = security_log.verify()
    assert not result.ok and result.broken_id == rows[2].pk


def test_r_sec_5_verify_finds_the_newest_row_removed(db):
    rows = _append(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_securityevent WHERE id = %s", [rows[2].pk])
    result = security_log.verify()
    assert not result.ok and result.broken_id == rows[2].pk


def test_r_sec_5_verify_finds_the_oldest_row_removed(db):
    rows = _append(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_securityevent WHERE id = %s", [rows[0].pk])
    result = security_log.verify()
    assert not result.ok and result.broken_id == rows[1].pk


def _age(rows, days):
    SecurityEvent.objects.filter(pk__in=[r.pk for r in rows]).update(
        occurred_at=timezone.now() - timedelta(days=days))
    # re-hash the aged rows as if they had been written then, keeping the chain (the test's "time machine")
    prev = security_log.GENESIS_HASH
    for row in SecurityEvent.objects.order_by("id"):
        row.prev_hash = prev
        row.hash = security_log._row_hash(row)
        SecurityEvent.objects.filter(pk=row.pk).update(prev_hash=row.prev_hash, hash=row.hash)
        prev = row.hash
    SecurityLogHead.objects.filter(pk=1).update(last_hash=prev)


def test_r_sec_5_prune_removes_only_rows_past_a_year_and_leaves_a_checkpoint(db):
    old = _append(3)
    young = _append(2)
    _age(old, 400)
    _age(young[:1], 200)
    actor = UserFactory(username="pruner")
    assert security_log.prune(actor=actor, older_than_days=30) == 3  # 30 is raised to the 365-day retention
    remaining = list(SecurityEvent.objects.order_by("id"))
    assert [r.pk for r in remaining[:2]] == [y.pk for y in young]
    checkpoint = remaining[-1]
    assert checkpoint.event == Kind.LOG_PRUNED and checkpoint.details["rows_removed"] == 3
    assert checkpoint.details["through_id"] == old[-1].pk
    assert _verify_output() == "security log OK (3 rows)"


def test_prune_with_nothing_old_removes_nothing(db):
    _append(2)
    assert security_log.prune(actor=None) == 0
    assert SecurityEvent.objects.count() == 2


def test_prune_command_dry_run_removes_nothing(db):
    from io import StringIO

    _age(_append(2), 500)
    out = StringIO()
    call_command("prune_security_log", "--dry-run", stdout=out)
    assert "would remove 2" in out.getvalue()
    assert SecurityEvent.objects.count() == 2
    call_command("prune_security_log", stdout=out)
    assert SecurityEvent.objects.count() == 1  # the checkpoint
    assert security_log.verify().ok


def test_r_sec_5_a_removed_checkpoint_is_detected(db):
    _age(_append(2), 500)
    security_log.prune(actor=None)
    _append(1)
    SecurityEvent.objects.filter(event=Kind.LOG_PRUNED).delete()
    assert not security_log.verify().ok


def test_r_sec_5_the_admin_cannot_change_or_delete_a_row(world, client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    row = security_log.record(event=Kind.SIGN_IN, actor=world.users["employee"])
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    change_url = reverse("admin:accounts_securityevent_change", args=[row.pk])
    assert client.get(reverse("admin:accounts_securityevent_changelist")).status_code == 200
    assert client.post(change_url, {"target": "forged"}).status_code == 403
    assert client.post(reverse("admin:accounts_securityevent_delete", args=[row.pk]), {"post": "yes"}).status_code \
        == 403
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    row.refresh_from_db()
    assert row.target == ""
    assert security_log.verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_sec_5_concurrent_writers_do_not_fork_the_chain():
    security_log.record(event=Kind.ADMIN_ACTION, target="start")
    barrier = threading.Barrier(4)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(10):
                security_log.record(event=Kind.ADMIN_ACTION, target=f"writer {n} row {i}")
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    result = security_log.verify()
    assert result.ok and result.rows == 41
    assert SecurityEvent.objects.values("prev_hash").distinct().count() == 41


def test_the_nightly_and_weekly_tasks_are_scheduled_and_run(db, caplog):
    from django_celery_beat.models import PeriodicTask

    from accounts import tasks

    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"accounts.verify_security_log", "accounts.prune_security_log"} <= names
    rows = _append(2)
    assert tasks.verify_security_log.delay().get() is True
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_securityevent SET outcome = 'failure' WHERE id = %s", [rows[0].pk])
    assert tasks.verify_security_log.delay().get() is False
    assert f"security log BROKEN at row #{rows[0].pk}" in caplog.text
    assert tasks.prune_security_log.delay().get() == 0
