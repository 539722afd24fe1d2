"""Shared by the benchmarks: a scratch PostgreSQL database, migrated, dropped after.

Usage inside a bench script (before importing any model):

    from bench._scratch import scratch_database
    with scratch_database("bench_import") as db_url:
        ...  # django is set up against the scratch database; run the work, measure
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def scratch_database(prefix: str, *, keep: bool = False, reuse: str = ""):
    """Create ``<prefix>_<random>`` on the server DATABASE_URL names (local by default), migrate, drop.

    ``keep``: leave the database behind (its name is printed) for a later ``reuse`` of it, e.g. to profile one
    page against a large agency without building it again; drop it by hand after (``DROP DATABASE``).
    """
    import psycopg

    server = os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parts = urlsplit(server)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("benchmarks need PostgreSQL: set DATABASE_URL=postgres://user@host:5432/any")
    name = reuse or f"{prefix}_{uuid.uuid4().hex[:8]}"
    keep = keep or bool(reuse)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    if not reuse:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledsadmin.settings_test")
    os.environ["CONN_MAX_AGE"] = "0"
    try:
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"scratch database {name} migrated in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"scratch database {name} kept", file=sys.stderr)
        else:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def print_table(rows: list[tuple[str, object]]) -> None:
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")


@contextlib.contextmanager
def celery_worker(options: list[str], *, name: str, db_url: str, redis_url: str, workdir: Path):
    """``celery -A ledsadmin worker <options>`` on production settings (DEBUG off, the bench's own database and
    Redis), found beside ``sys.executable``; answers a ping before it is yielded, stopped at the end. Its output
    goes to ``workdir/<name>.log``."""
    import subprocess

    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "ledsadmin.settings", "DEBUG": "0", "ALLOWED_HOSTS": "localhost",
        "SECRET_KEY": "bench-only-secret-key-not-for-any-deployment-0123456789",
        "MFA_ENCRYPTION_KEY": "bench-only-mfa-key-not-for-any-deployment",
        "DATABASE_URL": db_url, "CONN_MAX_AGE": "0", "REDIS_URL": redis_url, "VAR_DIR": str(workdir / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "false", "PYTHONUNBUFFERED": "1",
    })
    log_path = workdir / f"{name}.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ledsadmin", "worker", *options, "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"bench-{name}-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        from ledsadmin.celery import app

        def pong() -> bool:
            if process.poll() is not None:
                raise SystemExit(f"the worker stopped: see {log_path}")
            return bool(app.control.ping(timeout=0.5))

        wait_for(pong, timeout=60, what="the Celery worker")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
