import pytest
from django.core.management import CommandError, call_command

from people.factories import PersonFactory
from people.models import Agency


def test_create_agency_is_idempotent_and_renames(db, capsys):
    call_command("create_agency", "OR0340400", "Example Police")
    agency = Agency.objects.get(ori="OR0340400")
    PersonFactory(agency=agency)
    call_command("create_agency", "OR0340400", "Example Police Department")
    agency.refresh_from_db()
    assert agency.name == "Example Police Department"
    assert agency.people.count() == 1
    assert Agency.objects.count() == 1
    record = agency.history.first()
    assert record.history_user.username == "system:create_agency"
    assert "created" in capsys.readouterr().out


def test_create_agency_refuses_a_bad_ori_with_the_reason(db):
    with pytest.raises(CommandError, match="2 letters"):
        call_command("create_agency", "X123", "Nowhere")
    assert not Agency.objects.exists()


def test_create_agency_records_the_named_user(db):
    from people.factories import UserFactory

    UserFactory(username="dana")
    call_command("create_agency", "OR0340400", "Example", "--user", "dana")
    assert Agency.objects.get().history.first().history_user.username == "dana"
    with pytest.raises(CommandError, match='no user named "ghost"'):
        call_command("create_agency", "OR0340401", "Example", "--user", "ghost")


def test_seed_demo_refused_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_seed_demo_is_idempotent_and_prints_sign_ins(db, settings, capsys):
    from people.models import Membership, Person

    settings.DEBUG = True
    call_command("seed_demo", "--people", "8")
    first = (Person.objects.count(), Membership.objects.count())
    call_command("seed_demo", "--people", "8")
    assert (Person.objects.count(), Membership.objects.count()) == first
    out = capsys.readouterr().out
    assert "rep" in out and "leds-demo-2026" in out
    assert Agency.objects.filter(ori="OR0230000", time_zone="America/Boise").exists()
