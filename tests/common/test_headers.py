"""Headers and links that protect a signed-in user's data (issue 17): CSP, no-store, links from SITE_URL."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from people.factories import PersonFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_every_page_carries_a_policy_of_our_own_scripts_and_styles_only(world, login):
    response = login(world.users["leds_rep"]).get(reverse("people:roster"))
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    # our own scripts, plus the request's nonce when a page used one ({{ CSP_NONCE }})
    assert policy["script-src"][0] == "'self'" and all(s.startswith("'nonce-") for s in policy["script-src"][1:])
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    # htmx and USWDS come from our own static files, never another host
    body = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', body)
    assert sources and all(src.startswith("/") for src in sources), sources
    assert "/static/htmx/htmx.min.js" in sources and "/static/uswds/js/uswds.min.js" in sources


def test_a_page_that_uses_the_nonce_gets_it_in_the_policy(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">1</script>')
    request = rf.get("/")
    middleware = CSPMiddleware(lambda r: HttpResponse(template.render({"CSP_NONCE": r.csp_nonce}, r)))
    response = middleware(request)
    nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_the_sign_in_page_is_under_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("account_login"))["Content-Security-Policy"]


def test_no_template_has_an_inline_script_handler_or_style_attribute():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        if path.parts[-2] in ("email",) or "pdf" in path.relative_to(TEMPLATES).parts or "email" in path.parts:
            continue  # e-mails and PDFs are not pages a browser runs under our policy
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"\sstyle\s*=", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "nonce=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert offenders == []


def test_confirmations_moved_from_inline_handlers_to_data_attributes(world, login):
    from state_access.factories import StateSystemFactory

    StateSystemFactory()
    body = login(world.users["leds_rep"]).get(reverse("background:accounts")).content.decode()
    assert "data-autosubmit" in body and "onchange" not in body
    script = (Path(settings.BASE_DIR) / "static" / "js" / "ledsadmin.js").read_text()
    assert "data-confirm" in script and "data-autosubmit" in script


def test_signed_in_responses_are_no_store_private(world, login):
    client = login(world.users["leds_rep"])
    for url in (reverse("people:roster"), reverse("people:roster_export") + "?format=csv",
                reverse("people:detail", args=[world.target.pk])):
        cache = client.get(url)["Cache-Control"]
        assert "no-store" in cache and "private" in cache, url
        assert "max-age" not in cache


def test_password_reset_link_comes_from_site_url_not_the_host_header(world, client, mailoutbox, settings):
    settings.SITE_URL = "https://leds.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    user = world.users["employee"]
    client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="evil.example.com")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert "https://leds.example.org/accounts/password/reset/key/" in body
    assert "evil.example.com" not in body


def test_invitation_link_comes_from_site_url_not_the_host_header(world, client, login, mailoutbox, settings,
                                                               django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://leds.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    person = PersonFactory(agency=world.agency)
    login(world.users["leds_rep"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:user_invite", args=[person.pk]),
                               {"username": "invited", "email": "invited@example.org", "role": "employee"},
                               HTTP_HOST="evil.example.com")
    assert response.status_code == 302
    body = mailoutbox[-1].body
    assert "https://leds.example.org/invitation/" in body and "evil.example.com" not in body


def test_collectstatic_leaves_out_what_no_page_uses_but_keeps_what_the_css_needs():
    from django.contrib.staticfiles.finders import get_finders

    paths = [f"{storage.prefix}/{path}" if getattr(storage, "prefix", None) else path
             for finder in get_finders() for path, storage in finder.list(None)]
    assert "uswds/css/uswds.min.css" in paths and "htmx/htmx.min.js" in paths
    assert any(p.startswith("uswds/img/usa-icons/") for p in paths)
    assert not any("material-icons" in p or p.startswith("uswds/scss") for p in paths)
    assert "django.contrib.staticfiles" in settings.INSTALLED_APPS  # pytest-django's live server serves static
