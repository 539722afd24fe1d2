"""The smoke run's client (scripts/smoke.sh): seed a few rows, then walk the running stack over HTTP only.

``smoke_http.py seed STATE.json``  — an agency, a LEDS Representative with a password and TOTP, a person with an
                                    overdue obligation, a training event (ORM: the only step not over HTTP).
``smoke_http.py run STATE.json``   — over HTTP against SMOKE_BASE_URL: sign in with password + TOTP, register for
                                    the event, run the reminder sweep, wait for the e-mails at the SMTP sink
                                    (SMOKE_MAILDIR), build an audit packet and download it, check hashed static
                                    files, a 404 and a 403 page. Prints one line per step; exits 1 on the first
                                    failure with what was expected.
"""

from __future__ import annotations

import datetime
import hashlib
import http.cookiejar
import json
import mailbox
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "smoke-run-passphrase-2026"  # noqa: S105 (a throwaway database)


class SmokeFailure(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def step(text: str) -> None:
    print(f"  ok  {text}", flush=True)


# --- seed --------------------------------------------------------------------------------------------------

def seed(state_path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledsadmin.settings")
    import django

    django.setup()
    from accounts.factories import enroll_totp
    from people.factories import AgencyFactory, MembershipFactory, PersonFactory, UserFactory
    from people.models import Membership
    from training_events.factories import TrainingEventFactory

    agency = AgencyFactory(ori="OR0240200", name="Salem Police Department")
    user = UserFactory(username="smoke.rep", email="smoke.rep@example.org", password=PASSWORD)
    MembershipFactory(user=user, agency=agency, role=Membership.Role.LEDS_REPRESENTATIVE)
    PersonFactory(agency=agency, user=user, first_name="Sam", last_name="Smoke", email="smoke.rep@example.org",
                  assigned_on=datetime.date(2025, 1, 6))
    overdue = PersonFactory(agency=agency, first_name="Olive", last_name="Overdue", email="olive@example.org",
                            assigned_on=datetime.date(2023, 1, 9))  # never certified: overdue (R-CE-1)
    secret = enroll_totp(user)
    event = TrainingEventFactory(title="Smoke-run regional training", seat_cap=5,
                                 registration_deadline_on=datetime.date.today() + datetime.timedelta(days=60))
    state_path.write_text(json.dumps({"username": user.username, "secret": secret, "event": event.pk,
                                      "overdue_email": overdue.email, "registrant_email": user.email}))
    print(f"seeded agency {agency.ori}, user {user.username}, event {event.pk}")


# --- HTTP --------------------------------------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        check(self.base.startswith(("http://", "https://")), f"SMOKE_BASE_URL is not http(s): {self.base}")
        request = urllib.request.Request(self.base + path, data=body, method=method, headers={  # noqa: S310
            "Referer": self.base + "/", **(headers or {})})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:  # 3xx (no redirects followed), 4xx, 5xx
            return error.code, dict(error.headers), error.read()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def post(self, path: str, data: dict):
        return self.request("POST", path, {"csrfmiddlewaretoken": self.csrf(), **data})


def totp(secret: str) -> str:
    import base64
    import hmac
    import struct

    left = 30 - time.time() % 30
    if left < 4:
        time.sleep(left + 0.5)  # a code about to expire may be stale on arrival
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def messages(maildir: Path) -> list:
    box = mailbox.Maildir(maildir, create=False)
    return [box.get_message(key) for key in box.iterkeys()]


def wait_for_mail(maildir: Path, predicate, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in messages(maildir) if predicate(m)]
        if found:
            return found
        time.sleep(0.5)
    seen = [(m["To"], m["Subject"]) for m in messages(maildir)]
    raise SmokeFailure(f"no e-mail {what} reached the SMTP sink within {timeout:.0f} s (seen: {seen})")


def run(state_path: Path) -> None:
    state = json.loads(state_path.read_text())
    base = os.environ["SMOKE_BASE_URL"]
    maildir = Path(os.environ["SMOKE_MAILDIR"])
    client = Client(base)

    # static files: hashed names, served by whitenoise with a year's cache
    status, _, body = client.get("/accounts/login/")
    check(status == 200, f"sign-in page answered {status}")
    html = body.decode()
    css = re.search(r'href="(/static/css/ledsadmin\.[0-9a-f]{12}\.css)"', html)
    check(css, "the page does not link a hashed /static/css/ledsadmin.<hash>.css")
    status, headers, _ = client.get(css.group(1))
    check(status == 200 and "max-age=315360000" in headers.get("Cache-Control", ""),
          f"hashed CSS answered {status} with Cache-Control {headers.get('Cache-Control')!r}")
    step(f"static files are served hashed ({css.group(1)}, cached for a year)")

    # sign in: password, then TOTP (R-SEC-1)
    status, headers, _ = client.post("/accounts/login/", {"login": state["username"], "password": PASSWORD})
    check(status == 302 and "/accounts/2fa/authenticate/" in headers.get("Location", ""),
          f"password step answered {status} → {headers.get('Location')}")
    client.get("/accounts/2fa/authenticate/")
    status, headers, _ = client.post("/accounts/2fa/authenticate/", {"code": totp(state["secret"])})
    check(status == 302, f"TOTP step answered {status}")
    status, headers, body = client.get("/")
    check(status == 200 and b"Salem Police Department" in body, f"home page after sign-in answered {status}")
    check("no-store" in headers.get("Cache-Control", ""), "a signed-in page lacks Cache-Control: no-store")
    check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "a page lacks the CSP header")
    step("signed in with password and TOTP; the page is no-store and under the CSP")

    # register for the event; the confirmation goes through the outbox, the worker and SMTP
    event = state["event"]
    client.get(f"/training/{event}/")
    status, headers, _ = client.post(f"/training/{event}/register/", {})
    check(status == 302, f"registration answered {status}")
    found = wait_for_mail(maildir, lambda m: state["registrant_email"] in (m["To"] or "")
                          and "Registered" in (m["Subject"] or ""), "confirming the registration")
    check(any(part.get_content_type() == "text/calendar" for part in found[0].walk()),
          "the registration e-mail carries no .ics")
    step("registered for the event; the confirmation with its .ics reached the SMTP sink")

    # the reminder sweep (the command beat's task runs), delivered by the worker
    output = subprocess.run([sys.executable, "manage.py", "send_reminders"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    check(output.returncode == 0, f"send_reminders failed: {output.stderr[-2000:]}")
    wait_for_mail(maildir, lambda m: state["overdue_email"] in (m["To"] or ""), "reminding the overdue person")
    step(f"reminder sweep: {output.stdout.strip()}; the reminder reached the SMTP sink")

    # an audit packet, built by the worker, downloaded through the web
    status, _, body = client.get("/audit/packets/")
    check(status == 200, f"packet page answered {status}")
    start = re.search(r'name="period_start_on"[^>]*value="([0-9-]+)"', body.decode())
    end = re.search(r'name="period_end_on"[^>]*value="([0-9-]+)"', body.decode())
    check(start and end, "the packet form shows no default period")
    status, headers, _ = client.post("/audit/packets/build/", {"period_start_on": start.group(1),
                                                              "period_end_on": end.group(1)})
    check(status == 302, f"packet build answered {status}")
    packet_path = urllib.parse.urlsplit(headers["Location"]).path
    deadline = time.monotonic() + 150
    progress = {}
    while time.monotonic() < deadline:
        status, _, body = client.get(packet_path + "progress/")
        progress = json.loads(body)
        if progress["status"] in ("done", "failed"):
            break
        time.sleep(1)
    check(progress.get("status") == "done", f"the packet did not build: {progress}")
    status, headers, pdf = client.get(progress["download"])
    check(status == 200 and pdf.startswith(b"%PDF"), f"packet download answered {status}")
    check(hashlib.sha256(pdf).hexdigest() == progress["sha256"], "the downloaded packet's SHA-256 differs")
    step(f"audit packet built by the worker ({progress['pages']} pages) and downloaded, SHA-256 matches")

    # the app's error pages, with DEBUG off
    status, _, body = client.get("/no-such-page-smoke/")
    check(status == 404 and b'id="error-404"' in body and b"usa-header" in body, f"404 page: {status}")
    status, _, body = client.get("/training/new/")  # the state training unit's page
    check(status == 403 and b'id="error-403"' in body and b"usa-header" in body, f"403 page: {status}")
    step("a 404 and a 403 render the app's pages")


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("seed", "run"):
        print(__doc__)
        return 2
    try:
        (seed if sys.argv[1] == "seed" else run)(Path(sys.argv[2]))
    except SmokeFailure as failure:
        print(f"FAIL {failure}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
