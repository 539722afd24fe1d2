"""people/permissions.py holds every named role set and may_* predicate; templates and template tags ask
``request.can`` and never name a role (issue 16)."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from people.permissions import MANAGE_PEOPLE, PERMISSIONS, READ_AGENCY, Can, may_record, may_record_fingerprints
from people.scoping import ALL_ROLES

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
TAG_MODULES = sorted(p for p in ROOT.glob("*/templatetags/*.py") if p.name != "__init__.py")
ROLE_STRINGS = re.compile(r"""["'](leds_rep|laso|supervisor|employee|agency_auditor|state_auditor|training_unit)["']""")


def test_templates_ask_request_can_for_known_permissions_only():
    asked = {name for path in TEMPLATES for name in re.findall(r"request\.can\.(\w+)", path.read_text())}
    assert asked, "the templates ask request.can"
    assert asked <= set(PERMISSIONS), asked - set(PERMISSIONS)


def test_no_template_names_a_role():
    found = [f"{path.relative_to(ROOT)}: {line.strip()[:100]}" for path in TEMPLATES
             for line in path.read_text().replace("{% for r in request.roles %}", "").splitlines()  # names shown
             if re.search(r"\bROLE\.|in request\.roles|request\.roles\s*&", line) or ROLE_STRINGS.search(line)]
    assert found == [], "\n".join(found)


def test_no_template_tag_names_a_role_or_imports_a_view():
    found = [f"{path.relative_to(ROOT)}: {line.strip()}" for path in TAG_MODULES
             for line in path.read_text().splitlines()
             if ROLE_STRINGS.search(line) or re.search(r"\bRole\.|from [\w.]*views\w* import", line)]
    assert found == [], "\n".join(found)


def test_no_view_module_defines_a_role_set():
    views = sorted(ROOT.glob("*/views*.py")) + sorted(ROOT.glob("*/class_views.py"))
    found = [f"{path.relative_to(ROOT)}: {line.strip()}" for path in views for line in path.read_text().splitlines()
             if re.search(r"frozenset\(\{?Role\.|\{Role\.", line)]
    assert found == [], "\n".join(found)


def _request(roles, *, superuser=False, agency=None):
    user = SimpleNamespace(is_authenticated=True, is_superuser=superuser)
    return SimpleNamespace(user=user, roles=frozenset(ALL_ROLES if superuser else roles), agency=agency)


def test_request_can_answers_each_named_permission_from_the_roles():
    laso = Can(_request({"laso"}))
    assert laso.read_agency and laso.record_for_agency and not laso.manage_people
    assert Can(_request({"leds_rep"}))["manage_people"]
    assert all(getattr(Can(_request(set(), superuser=True)), name) for name in PERMISSIONS)
    assert not any(getattr(Can(_request(set())), name) for name in PERMISSIONS)
    assert PERMISSIONS["manage_people"] == MANAGE_PEOPLE and PERMISSIONS["read_agency"] == READ_AGENCY
    with pytest.raises(AttributeError):
        laso.manage_everything  # noqa: B018 — a typo raises, it does not read as "no"


@pytest.mark.django_db
def test_may_record_only_in_the_agency_acted_in_and_not_for_a_separated_person(world):
    rep = _request({"leds_rep"}, agency=world.agency)
    laso = _request({"laso"}, agency=world.agency)
    assert may_record(rep, world.target, "certification") and may_record_fingerprints(rep, world.target)
    assert may_record(laso, world.target, "awareness") and not may_record(laso, world.target, "certification")
    assert not may_record(rep, world.foreign_person, "certification")
    assert not may_record_fingerprints(_request({"leds_rep"}, agency=world.foreign_agency), world.target)
