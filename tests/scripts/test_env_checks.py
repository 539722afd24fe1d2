"""scripts/_env.sh and .ci/run: the machine check cannot fail by SIGPIPE (issue 17)."""

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOOP = """
set -euo pipefail
source scripts/_env.sh
for i in $(seq 1 {n}); do
  m=$(missing_debian_packages)
  if [ -n "${{m// /}}" ]; then echo "run $i reported: $m"; exit 1; fi
done
echo "ok {n}"
"""


def _bash(script: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([shutil.which("bash") or "/bin/bash", "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env=env or os.environ.copy())


def test_the_library_check_passes_500_times_in_a_row():
    """The libraries are installed here (WeasyPrint renders in other tests): 500 checks, 500 passes."""
    result = _bash(LOOP.format(n=500))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok 500")


def test_a_really_missing_library_is_still_reported(tmp_path):
    fake = tmp_path / "ldconfig"
    fake.write_text("#!/bin/sh\necho '\tlibpango-1.0.so.0 (libc6,x86-64) => /usr/lib/libpango-1.0.so.0'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = _bash("set -euo pipefail; source scripts/_env.sh; echo \"[$(missing_debian_packages)]\"", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[libpangoft2-1.0-0 libharfbuzz-subset0 ]"


def test_no_script_pipes_ldconfig_into_an_early_exiting_grep():
    for path in (ROOT / "scripts" / "_env.sh", ROOT / ".ci" / "run", *sorted((ROOT / "scripts").glob("*.sh"))):
        code = "\n".join(line for line in path.read_text().splitlines() if not line.lstrip().startswith("#"))
        assert not re.search(r"\|\s*grep\s+(-\w*q|--quiet)", code), path
        assert not re.search(r"ldconfig[^\n|]*-p[^\n|]*\|(?!\|)", code), path  # "ldconfig -p | …", not "||"
