"""Every URL of our apps, with every role, a foreign agency's user and an anonymous visitor."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.conftest import mfa_login
from tests.matrix import ROLES

OUR_APPS = {
    "ledsadmin", "common", "accounts", "people", "compliance", "certification", "training_events",
    "background", "state_access", "validations", "agreements", "notifications", "reminders", "audit", "paperwork",
    "statewide", "demo",
}
WHO = (*ROLES, "foreign", "anonymous")
# a GET writes nothing (DESIGN.md "Reads never write", issue 23) but the session and the security log
GET_MAY_WRITE = {"django_session", "accounts_securityevent", "accounts_securityloghead"}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def _writes(queries) -> set[str]:
    tables = {match.group(1) for query in queries if (match := WRITE.match(query["sql"]))}
    return tables - GET_MAY_WRITE


def _rows():
    rows = {}
    for module in pkgutil.iter_modules([str(Path(tests.__file__).parent)]):
        if not module.ispkg:
            continue
        try:
            matrix = importlib.import_module(f"tests.{module.name}.matrix")
        except ModuleNotFoundError:
            continue
        for name, row in matrix.ROWS.items():
            assert name not in rows, f"{name} has two matrix rows"
            rows[name] = row
    return rows


def _our_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _our_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.split(".")[0] in OUR_APPS:
                assert pattern.name, f"{pattern.pattern} in {module} has no name"
                names.add(f"{namespace}{pattern.name}")
    return names


ROWS = _rows()


def test_every_url_has_a_matrix_row():
    missing = sorted(_our_url_names() - set(ROWS))
    assert not missing, f"URLs without a permission-matrix row: {missing}"
    stale = sorted(set(ROWS) - _our_url_names())
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROWS))
def test_permission_matrix(name, world, client):
    row = ROWS[name]
    url = row.url(world)
    data = row.data(world) if callable(row.data) else (row.data or {})
    failures = []
    for who in WHO:
        client.logout()
        if who != "anonymous":
            mfa_login(client, world.users[who])  # MFA is on for everyone (R-SEC-1)
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, row.method)(url, data)
        expected = row.expected(who)
        if response.status_code != expected:
            failures.append(f"{who}: expected {expected}, got {response.status_code}")
        if row.method == "get" and (written := _writes(queries.captured_queries)):
            failures.append(f"{who}: a GET wrote to {sorted(written)}")
    assert not failures, f"{name} ({url}): " + "; ".join(failures)
