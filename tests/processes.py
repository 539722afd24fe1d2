"""Real processes for the tests about tasks (issue 9): a private redis-server, an SMTP server (aiosmtpd), and a
Celery worker with embedded beat, each started on a free port of this machine and stopped after the test.

The worker runs in its own process against the test database, so the tests that use it are transactional
(their rows are committed) and need PostgreSQL.
"""

from __future__ import annotations

import contextlib
import email
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.25, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class PrivateRedis:
    """A redis-server of the test's own on a free port — never the shared one, so it may be stopped."""

    def __init__(self, workdir: Path):
        binary = shutil.which("redis-server")
        if not binary:
            pytest.skip("needs the redis-server program (apt-get install redis-server)")
        self.binary, self.workdir, self.port, self.process = binary, workdir, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, timeout=10, what="redis-server to answer")

    def answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None


class SmtpSink:
    """aiosmtpd on a free port, keeping every message it accepts (start it late to play a mail server that was down).

    The test may make it answer like a real server: ``refuse[address] = "550 5.1.1 No such user"`` refuses one
    recipient; ``answer = "451 4.3.0 Try again later"`` refuses every message at DATA; ``delay`` (seconds) slows
    each message down. ``stop()`` then ``start()`` again restarts it on the same port.
    """

    def __init__(self):
        self.port, self.messages, self.controller = free_port(), [], None
        self.refuse: dict[str, str] = {}
        self.answer: str | None = None
        self.delay = 0.0
        self.received_at: list[float] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # aiosmtpd's hook
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        if self.answer:
            return self.answer
        message = email.message_from_bytes(envelope.content)
        self.messages.append((sorted(envelope.rcpt_tos), message))
        self.received_at.append(time.time())
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for _rcpt, message in self.messages]

    def body(self, message) -> str:
        part = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
        if part is None:
            for candidate in message.walk():
                if candidate.get_content_type() == "text/plain":
                    part = candidate
                    break
        return part.get_payload(decode=True).decode() if part else ""


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(*, redis_url: str, smtp_port: int, workdir: Path, **extra) -> dict:
    """The environment of a production-like process on the test database (settings, not test settings)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "ledsadmin.settings", "DEBUG": "0", "ALLOWED_HOSTS": "localhost",
        "SECRET_KEY": "worker-test-secret-key-not-for-any-deployment-0123456789",
        "MFA_ENCRYPTION_KEY": "worker-test-mfa-key-not-for-any-deployment",
        "DATABASE_URL": database_url(), "CONN_MAX_AGE": "0", "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "VAR_DIR": str(workdir / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "false", "PYTHONUNBUFFERED": "1",
    })
    env.update({key: str(value) for key, value in extra.items()})
    return env


@contextlib.contextmanager
def celery_worker(env: dict, workdir: Path, *, beat: bool = True, name: str = "test", concurrency: int = 0):
    """``celery -A ledsadmin worker [--beat]``: one worker (solo pool, or prefork with ``concurrency``
    processes), stopped when the block ends. Its log is ``<workdir>/<name>.log``.
    """
    pool = ["--pool=prefork", f"--concurrency={concurrency}"] if concurrency else ["--pool=solo"]
    command = [sys.executable, "-m", "celery", "-A", "ledsadmin", "worker", *pool, "--loglevel=INFO",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}-{os.getpid()}@%h"]
    if beat:
        command += ["--beat", "--schedule", str(workdir / f"{name}-beat-schedule")]
    log_path = workdir / ("worker.log" if name == "test" else f"{name}.log")
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        from django.db import connections

        connections.close_all()


def kill_worker(process) -> None:
    """``kill -9`` on the worker and every process of its group (its pool's children), as a crash would."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def worker_log(workdir: Path, name: str = "worker") -> str:
    path = workdir / f"{name}.log"
    return path.read_text()[-4000:] if path.exists() else ""


def every_seconds(task_name: str, seconds: int = 2):
    """Point the beat entry of ``task_name`` (created by a migration) at a short interval for the test.

    A test database kept with --reuse-db may have lost the migration's rows to an earlier flush: then make one.
    """
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period=IntervalSchedule.SECONDS)
    if not PeriodicTask.objects.filter(task=task_name).update(interval=interval, crontab=None, enabled=True,
                                                              last_run_at=None):
        PeriodicTask.objects.create(name=task_name, task=task_name, interval=interval)
