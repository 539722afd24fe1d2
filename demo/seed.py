"""Demo data: believable agencies, role holders and people, built with the apps' factories.

Idempotent: running it again adds nothing that is already there. Later issues append their own
steps to ``STEPS`` (each takes the ``DemoWorld`` and returns nothing).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

import factory.random

from accounts.models import User
from compliance.obligations import refresh_agency
from people.factories import PersonFactory
from people.models import Agency, Membership, Person
from people.services import create_agency, grant_role

from .seed_accounts import seed_second_factors
from .seed_audit import seed_agreements_and_audits
from .seed_background import seed_background
from .seed_certification_classes import seed_certification_classes
from .seed_compliance import seed_compliance
from .seed_history import restamp_history
from .seed_training_events import seed_training_events
from .seed_validations import seed_validations

DEMO_PASSWORD = "leds-demo-2026"
Role = Membership.Role

DEMO_AGENCIES = [
    ("OR0240200", "Salem Police Department", "America/Los_Angeles"),
    ("OR0230000", "Malheur County Sheriff's Office", "America/Boise"),
    ("OR0260000", "Multnomah County Sheriff's Office", "America/Los_Angeles"),
    ("OR0200000", "Lane County Sheriff's Office", "America/Los_Angeles"),
    ("OR0090000", "Deschutes County Sheriff's Office", "America/Los_Angeles"),
]
STATE_AGENCY = ("OROSP0000", "Oregon State Police — CJIS Division", "America/Los_Angeles")

# username, agency index (None: the state agency), roles, person's position
DEMO_USERS = [
    ("rep", 0, [Role.LEDS_REPRESENTATIVE], "Records Manager"),
    ("alt_rep", 0, [(Role.LEDS_REPRESENTATIVE, True)], "Records Supervisor"),
    ("laso", 0, [Role.LASO], "IT Security Officer"),
    ("supervisor", 0, [Role.SUPERVISOR], "Patrol Sergeant"),
    ("employee", 0, [Role.EMPLOYEE], "Patrol Officer"),
    ("auditor", 0, [Role.AGENCY_AUDITOR], "Internal Auditor"),
    ("malheur_rep", 1, [Role.LEDS_REPRESENTATIVE, Role.LASO], "Office Manager"),
    ("state_auditor", None, [Role.STATE_AUDITOR], "CJIS Auditor"),
    ("training_unit", None, [Role.STATE_TRAINING_UNIT], "CJIS Trainer"),
]


@dataclass
class DemoWorld:
    actor: User
    agencies: list[Agency] = field(default_factory=list)
    state_agency: Agency | None = None
    users: dict[str, User] = field(default_factory=dict)
    today: datetime.date = field(default_factory=datetime.date.today)
    people_per_agency: int = 40


def seed_agencies(world: DemoWorld, count: int) -> None:
    for ori, name, zone in DEMO_AGENCIES[: max(1, count)]:
        agency, _ = create_agency(ori=ori, name=name, actor=world.actor, time_zone=zone)
        world.agencies.append(agency)
    ori, name, zone = STATE_AGENCY
    world.state_agency, _ = create_agency(ori=ori, name=name, actor=world.actor, time_zone=zone)


def seed_users(world: DemoWorld) -> None:
    for username, agency_index, roles, position in DEMO_USERS:
        if agency_index is not None and agency_index >= len(world.agencies):
            continue
        agency = world.state_agency if agency_index is None else world.agencies[agency_index]
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = _name_for(username)
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@example.org")
            user.set_password(DEMO_PASSWORD)
            user.save()
        for role in roles:
            role, is_alternate = role if isinstance(role, tuple) else (role, False)
            grant_role(user=user, agency=agency, role=role, actor=world.actor, is_alternate=is_alternate)
        if not Person.objects.filter(user=user).exists():
            PersonFactory(
                agency=agency,
                user=user,
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                employee_id=f"D-{username.upper()}",
                position=position,
                role_tier=4 if Role.LASO in roles else 2,
                assigned_on=world.today - datetime.timedelta(days=400),
            )
        world.users[username] = user


def seed_people(world: DemoWorld) -> None:
    """Fill each agency up to ``people_per_agency`` people, some reporting to the demo supervisor."""
    rng = random.Random(2026)
    factory.random.reseed_random(2026)
    supervisor = Person.objects.filter(user__username="supervisor").first()
    for agency in world.agencies:
        existing = Person.objects.filter(agency=agency).count()
        for index in range(existing, world.people_per_agency):
            status = rng.choices(["active", "separated"], weights=[92, 8])[0]
            if agency == world.agencies[0] and index in (8, 16):
                status = "separated"  # the first agency always shows separations and their 24-hour disablement
            assigned_on = world.today - datetime.timedelta(days=rng.randint(120, 6 * 365))
            new_hire = agency == world.agencies[0] and index >= world.people_per_agency - 2
            if new_hire:  # two pending new hires (R-PE-3): one ready for access, one not yet
                status = "pending"
                assigned_on = world.today - datetime.timedelta(days=12 if index == world.people_per_agency - 1 else 6)
            person = PersonFactory.build(
                agency=agency,
                employee_id=f"{agency.ori[-4:]}-{index + 1:05d}",
                role_tier=2 if new_hire else rng.choice([1, 2, 2, 2, 2, 3, 4]),
                status=status,
                assigned_on=assigned_on,
            )
            if status == "separated":
                person.separated_at = datetime.datetime.combine(
                    world.today - datetime.timedelta(days=rng.randint(1, 300)),
                    datetime.time(17, 0),
                    tzinfo=agency.zone,
                )
            if supervisor and supervisor.agency_id == agency.pk and index % 5 == 0:
                person.supervisor = supervisor
            person._history_user = world.actor
            person._change_reason = "Demo data"
            person.save()
    employee = Person.objects.filter(user__username="employee").first()
    if employee and supervisor and employee.supervisor_id != supervisor.pk:
        employee.supervisor = supervisor
        employee._history_user = world.actor
        employee._change_reason = "Demo data"
        employee.save()


def _name_for(username: str) -> tuple[str, str]:
    names = {
        "rep": ("Dana", "Whitfield"),
        "alt_rep": ("Marcus", "Olsen"),
        "laso": ("Priya", "Natarajan"),
        "supervisor": ("Gabe", "Moreno"),
        "employee": ("Jamie", "Lindqvist"),
        "auditor": ("Ruth", "Okafor"),
        "malheur_rep": ("Terry", "Castellanos"),
        "state_auditor": ("Helen", "Park"),
        "training_unit": ("Sam", "Delgado"),
    }
    return names.get(username, (username.title(), "Demo"))


# Each app's demo step: a function (world) -> None, kept in demo/seed_<app>.py and listed here.
STEPS = [seed_people, seed_second_factors, seed_compliance, seed_background, seed_training_events,
         seed_certification_classes, seed_validations, seed_agreements_and_audits, restamp_history]


def seed_demo(*, actor: User, agencies: int = 2, people: int = 40, today: datetime.date | None = None) -> DemoWorld:
    world = DemoWorld(actor=actor, people_per_agency=people)
    if today:
        world.today = today
    seed_agencies(world, agencies)
    seed_users(world)
    for step in STEPS:
        step(world)

    for agency in world.agencies:  # the dashboards read what is stored (issue 23): store it for the demo's today
        refresh_agency(agency.pk, world.today, force=True)
    return world
