"""403, 404 and 500 pages in the app's frame, with DEBUG off (issue 17)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common import errors
from ledsadmin import urls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.common.urls_errors"


def test_the_handlers_are_ours():
    assert (urls.handler403, urls.handler404, urls.handler500) == (
        "common.errors.permission_denied", "common.errors.page_not_found", "common.errors.server_error")


def test_404_renders_in_the_frame_and_says_where_to_go(world, login):
    response = login(world.users["employee"]).get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert 'id="error-404"' in body and "We cannot find that page" in body and "/no-such-page/" in body
    assert 'class="usa-header' in body and "Go to your home page" in body  # the frame and the way out
    assert "Salem Police Department" in body  # base.html: the signed-in user's agency in the header


def test_another_agencys_record_gets_the_same_404(world, login):
    response = login(world.users["leds_rep"]).get(reverse("people:detail", args=[world.foreign_person.pk]))
    assert response.status_code == 404 and 'id="error-404"' in response.content.decode()
    assert "Elsewhere" not in response.content.decode()


def test_404_for_an_anonymous_visitor_offers_sign_in(client):
    body = client.get("/no-such-page/").content.decode()
    assert 'id="error-404"' in body and reverse("account_login") in body


def test_403_renders_in_the_frame_with_the_reason(world, login):
    response = login(world.users["employee"]).get(reverse("accounts:security_log"))
    body = response.content.decode()
    assert response.status_code == 403
    assert 'id="error-403"' in body and "You cannot open this page" in body
    assert "Your role does not allow this page." in body and "LEDS Representative" in body
    assert 'class="usa-header' in body


def test_500_renders_static_html_in_the_frame(client):
    client.raise_request_exception = False
    response = client.get("/boom-for-tests/")
    body = response.content.decode()
    assert response.status_code == 500
    assert 'id="error-500"' in body and "Something went wrong on our side" in body and 'href="/"' in body
    assert "a bug" not in body and "Traceback" not in body and 'class="usa-header' in body


def test_500_page_needs_no_database():
    request = RequestFactory().get("/")
    with CaptureQueriesContext(connection) as queries:
        response = errors.server_error(request)
    assert response.status_code == 500 and len(queries) == 0
    assert b"Something went wrong on our side" in response.content


def test_500_page_falls_back_to_fixed_text_when_even_the_template_fails(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and b"Something went wrong on our side" in response.content
