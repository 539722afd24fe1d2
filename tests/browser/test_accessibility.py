"""axe-core on every page the demo users reach, at 1366 and 390 px (issue 19).

The demo is seeded, each demo user follows every link once per URL name (as tests/test_crawl_demo.py), and the
first page of each URL name is opened in Chromium by the user who reached it, at 1366x900 and 390x844. axe-core
(the npm package, injected with ``bypass_csp=True`` because the app sends a strict CSP) must find no violation of
impact serious or critical, and no page may be wider than a 390 px viewport. A failure names the page, the rule
and the element. The dashboard and a person page are written to var/screenshots/ at both widths for a reviewer.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from demo.seed import seed_demo
from tests.conftest import mfa_login
from tests.test_crawl_demo import SKIP, _links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.date(2026, 11, 23)
WIDTHS = ((1366, 900), (390, 844))
SCREENSHOTS = {"compliance:dashboard": "dashboard", "people:detail": "person"}
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "var" / "screenshots"


def axe_source() -> str:
    """axe-core from node_modules (package.json); AXE_CORE_JS may point at another copy of axe.min.js."""
    path = Path(os.environ.get("AXE_CORE_JS") or Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js")
    return path.read_text()


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlparse(path).path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def pages_per_url_name(users: dict) -> dict[str, tuple[str, str]]:
    """URL name → (first URL reached, the demo user who reached it), from a crawl with the test client."""
    found: dict[str, tuple[str, str]] = {}
    for username, user in users.items():
        client = mfa_login(Client(), user)
        queue, fetched = ["/"], set()
        while queue:
            url = queue.pop(0)
            name = url_name(url)
            if name is None or name in fetched:
                continue
            fetched.add(name)  # one page per URL name and user is enough to find the links onwards
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            found.setdefault(name, (url, username))
            for href in _links(response.content.decode()):
                href = urldefrag(href)[0]
                parsed = urlparse(href)
                if parsed.scheme or parsed.netloc or not href.startswith("/") or SKIP.search(href):
                    continue
                queue.append(href)
    return found


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' — ' + n.html.slice(0, 120))}));
}"""


# the elements that stick out past the viewport while their parent does not: what widens the page
WIDEST = """(w) => { const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const right = el.getBoundingClientRect().right, parent = el.parentElement.getBoundingClientRect().right;
    if (right > w + 1 && parent <= w + 1 && out.length < 3)
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + el.outerHTML.slice(0, 100));
  }
  const text = [];
  for (const el of document.querySelectorAll('body *')) {  // text running out of a box that fits: the deepest
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 && box.left + el.scrollWidth > w + 1 &&
        getComputedStyle(el).overflowX === 'visible')
      text.push('text in ' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + el.outerHTML.slice(0, 100));
  }
  return out.concat(text.slice(-2)).join('; '); }"""


def test_axe_core_finds_no_serious_violation_and_no_page_is_wider_than_a_phone(live_server, browser, settings):
    from accounts.models import User

    settings.DEBUG = True  # the demo's second factors have a published secret
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=30, today=TODAY)
    pages = pages_per_url_name(demo.users)
    assert {"home", "compliance:dashboard", "people:detail", "training_events:detail"} <= set(pages), pages
    axe = axe_source()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    problems, contexts = [], {}
    try:
        # the sign-in page, before anyone signs in
        anonymous = browser.new_context(bypass_csp=True)
        contexts["anonymous"] = anonymous
        pages_to_check = [("account_login", "/accounts/login/", "anonymous")] + [
            (name, url, username) for name, (url, username) in sorted(pages.items())]
        for name, url, username in pages_to_check:
            if username not in contexts:
                context = browser.new_context(bypass_csp=True)
                client = mfa_login(Client(), demo.users[username])
                context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                                      "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                                      "url": live_server.url}])
                contexts[username] = context
            page = contexts[username].pages[0] if contexts[username].pages else contexts[username].new_page()
            page.set_viewport_size({"width": WIDTHS[0][0], "height": WIDTHS[0][1]})
            response = page.goto(live_server.url + url)
            if response is None or response.status >= 400:
                problems.append(f"{name} ({url}, {username}): HTTP {response and response.status}")
                continue
            page.add_script_tag(content=axe)
            for width, height in WIDTHS:  # loaded once; the layout follows the viewport (CSS media queries)
                page.set_viewport_size({"width": width, "height": height})
                for violation in page.evaluate(AXE_RUN):
                    problems.append(f"{name} ({url}, {username}, {width}px): {violation['rule']} "
                                    f"[{violation['impact']}] {violation['help']}: {'; '.join(violation['nodes'])}")
                if width < 1000:
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    if wide > width:
                        culprit = page.evaluate(WIDEST, width)
                        problems.append(f"{name} ({url}, {username}, {width}px): page is {wide}px wide: {culprit}")
                if name in SCREENSHOTS:
                    page.screenshot(path=str(SCREENSHOT_DIR / f"{SCREENSHOTS[name]}-{width}.png"), full_page=True)
    finally:
        for context in contexts.values():
            context.close()
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
