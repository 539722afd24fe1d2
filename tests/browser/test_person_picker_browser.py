"""The person picker in a real browser (issue 23): type, choose from at most 20 matches, save."""

import pytest

from accounts.factories import stored_totp_secret, totp_code
from people.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, world, username="leds_rep"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.fill("input[name=code]", totp_code(stored_totp_secret(world.users[username])))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_choose_a_supervisor_by_typing_and_save(world, live_server, page):
    boss = PersonFactory(agency=world.agency, last_name="Quillfeather", first_name="Odessa", employee_id="Q-1")
    PersonFactory.create_batch(25, agency=world.agency, last_name="Quinn")
    _sign_in(page, live_server, world)
    page.goto(f"{live_server.url}/people/{world.target.pk}/edit/")
    page.fill("#id_supervisor", "quin")
    page.wait_for_selector("#id_supervisor-list [data-value]")
    assert page.locator("#id_supervisor-list [data-value]").count() == 20  # at most 20 matches
    page.fill("#id_supervisor", "quill")
    page.wait_for_selector("#id_supervisor-list >> text=Quillfeather, Odessa")
    page.press("#id_supervisor", "ArrowDown")
    page.keyboard.press("Enter")  # keyboard only
    assert page.input_value("input[name=supervisor]") == str(boss.pk)
    page.click("main button:has-text(\"Save\")")
    page.wait_for_url(f"**/people/{world.target.pk}/")
    world.target.refresh_from_db()
    assert world.target.supervisor_id == boss.pk
