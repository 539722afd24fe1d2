#!/usr/bin/env python3
"""Make the README's three screenshots from the demo data, so they stay current.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

It builds a scratch SQLite database under var/, migrates it, runs ``seed_demo`` (one agency, 30 people), starts the
development server on a free port, signs in the demo users with their published password and authenticator code,
and with Debian's chromium (Playwright, ``executable_path``) writes:

* ``dashboard.png`` — the LEDS Representative's compliance dashboard at 1366x900;
* ``person.png`` — the first person who must be suspended, at 1366x900;
* ``event-phone.png`` — an employee's event page with its registration panel on a phone (390 px, the whole page).

The scratch database and the server are removed/stopped at the end.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "leds-demo-2026"  # noqa: S105 (the published demo password, DEBUG only)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False):
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    if capture:
        return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return ""


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def sign_in(page, base, env, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", manage(env, "demo_totp_code", username, capture=True).split()[-1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="folder for the PNG files")
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="screenshots-", dir=ROOT / "var"))
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "EMAIL_URL")}
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{scratch / 'demo.sqlite3'}", PYTHONUNBUFFERED="1")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = None
    try:
        print("migrating a scratch database and seeding the demo …", flush=True)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "seed_demo", "--agencies", "1", "--people", "30")
        command = [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
        wait_for(f"{base}/accounts/login/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"])
            desk = browser.new_context(viewport={"width": 1366, "height": 900})
            page = desk.new_page()
            sign_in(page, base, env, "rep")
            page.goto(f"{base}/compliance/")
            page.screenshot(path=str(out / "dashboard.png"))
            person = page.locator("#suspended-alert p a").first.get_attribute("href")
            page.goto(base + person)
            page.screenshot(path=str(out / "person.png"))
            desk.close()

            phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                        is_mobile=True, has_touch=True)
            page = phone.new_page()
            sign_in(page, base, env, "employee")
            page.goto(f"{base}/training/")
            page.locator("main a[href^='/training/']").filter(has_text="regional").first.click()
            page.wait_for_selector("#registration-panel")
            page.screenshot(path=str(out / "event-phone.png"), full_page=True)
            phone.close()
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)
    for name in ("dashboard.png", "person.png", "event-phone.png"):
        print(out / name)


if __name__ == "__main__":
    main()
