"""seed_demo's second factors (issue 5): a published TOTP secret beside the password, only with DEBUG."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models.signals import post_save

from accounts.factories import stored_totp_secret, totp_code
from accounts.models import User
from demo.seed_accounts import DEMO_TOTP_SECRET
from tests.accounts.conftest import sign_in


def test_demo_users_sign_in_with_the_printed_secret(db, settings, capsys, client):
    settings.DEBUG = True
    post_save.disconnect(sender=User, dispatch_uid="tests_enroll_totp")  # seed_demo enrolls them itself
    call_command("seed_demo", "--people", "2", "--agencies", "1")
    out = capsys.readouterr().out
    assert f"TOTP {DEMO_TOTP_SECRET}" in out and "rep " in out
    rep = User.objects.get(username="rep")
    assert stored_totp_secret(rep) == DEMO_TOTP_SECRET
    call_command("demo_totp_code", "rep")
    assert capsys.readouterr().out.strip() == totp_code(DEMO_TOTP_SECRET)
    assert sign_in(client, rep, password="leds-demo-2026").status_code == 302


def test_demo_totp_code_refused_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_totp_code", "rep")
