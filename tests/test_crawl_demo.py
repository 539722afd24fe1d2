"""Every page a demo user can reach by following links opens without a server error (no traceback reaches a user).

The demo data has something on every page (classes, accounts, validation lists, agreements, audits); each demo
user, from the LEDS Representative to the employee, follows the links of every page once per URL name.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.urls import Resolver404, resolve

from demo.seed import seed_demo
from tests.conftest import mfa_login

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
SKIP = re.compile(r"^/(admin|accounts|static|media)/|logout|/ical/|/feed/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def _crawl(client, start="/"):
    seen_names, queue, visited, errors = set(), [start], set(), []
    while queue:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        try:
            match = resolve(urlparse(url).path)
        except Resolver404:
            continue
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        # one visit per URL name and query shape is enough to find a page that breaks
        shape = (name, tuple(sorted(k.split("=")[0] for k in urlparse(url).query.split("&") if k)))
        if shape in seen_names:
            continue
        seen_names.add(shape)
        response = client.get(url)
        if response.status_code >= 500:
            errors.append((url, response.status_code))
            continue
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for href in _links(response.content.decode()):
                href = urldefrag(href)[0]
                parsed = urlparse(href)
                if parsed.scheme or parsed.netloc or not href.startswith("/") or SKIP.search(href):
                    continue
                if href not in visited:
                    queue.append(href)
    return seen_names, errors


def test_every_demo_user_reaches_every_linked_page_without_a_server_error(client, settings):
    from accounts.models import User

    settings.DEBUG = True  # the demo's second factors have a published secret
    demo = seed_demo(actor=User.objects.create_user(username="seed-actor"), agencies=1, people=30, today=TODAY)
    reached = {}
    for username, user in demo.users.items():
        client.logout()
        mfa_login(client, user)
        names, errors = _crawl(client)
        assert errors == [], f"{username}: {errors}"
        reached[username] = {name for name, _ in names}
    # the crawl does reach the pages that matter (a crawl that stops at the dashboard would prove nothing)
    rep = next(names for username, names in reached.items() if "certification:class_detail" in names)
    for name in ("certification:class_detail", "background:accounts", "background:review", "validations:cycle",
                 "validations:entry", "agreements:detail", "audit:detail", "audit:packets", "reminders:unreachable",
                 "people:detail", "notifications:outbox"):
        assert name in rep, name
