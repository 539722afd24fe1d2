"""One place for the production commands: the Procfile, run by scripts/procfile.sh from docker-compose.yml, the
Dockerfile and scripts/smoke.sh (issue 17). Containers cannot be pulled here, so CI checks the compose file parses
and names the same commands."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(re.match(r"^([a-z]+):\s*(.+)$", line).groups() for line in lines if line and not line.startswith("#"))


def test_the_procfile_names_release_web_worker_and_beat():
    procfile = _procfile()
    assert set(procfile) == {"release", "web", "worker", "beat"}
    assert procfile["web"].startswith("gunicorn ledsadmin.wsgi:application")
    assert procfile["worker"].startswith("celery -A ledsadmin worker")
    assert procfile["beat"].startswith("celery -A ledsadmin beat")
    assert "migrate" in procfile["release"]


def test_docker_compose_parses_and_runs_the_procfile_commands():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    procfile = _procfile()
    expected = {"web": ["release", "web"], "worker": ["worker"], "beat": ["beat"]}
    for service, names in expected.items():
        command = services[service]["command"]
        assert command[0] == "scripts/procfile.sh", service
        assert command[1:] == names and all(name in procfile for name in names), service
    assert {"db", "redis", "mail"} <= set(services)


def test_the_dockerfile_and_the_smoke_run_use_the_same_runner():
    assert 'CMD ["scripts/procfile.sh", "web"]' in (ROOT / "Dockerfile").read_text()
    smoke = (ROOT / "scripts" / "smoke.sh").read_text()
    for name in ("release", "web", "worker", "beat"):
        assert f"scripts/procfile.sh {name}" in smoke
    assert "trap stop_all EXIT" in smoke
    assert "bash scripts/smoke.sh" in (ROOT / ".ci" / "run").read_text()


def test_the_runner_expands_a_procfile_line_and_refuses_an_unknown_name(tmp_path):
    sh = shutil.which("sh") or "/bin/sh"
    unknown = subprocess.run([sh, "scripts/procfile.sh", "nope"], cwd=ROOT, capture_output=True, text=True,
                             timeout=30, check=False)
    assert unknown.returncode == 2 and "no process named nope" in unknown.stderr
    fake = tmp_path / "gunicorn"
    fake.write_text('#!/bin/sh\necho "gunicorn $*"\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}", "PORT": "8123", "HOST": "127.0.0.1"}
    web = subprocess.run([sh, "scripts/procfile.sh", "web"], cwd=ROOT, capture_output=True, text=True, timeout=30,
                         env=env, check=False)
    assert web.returncode == 0, web.stderr
    assert web.stdout.startswith("gunicorn ledsadmin.wsgi:application --bind 127.0.0.1:8123 --workers 3")
