"""The permission matrix's vocabulary. Each app lists its URLs in ``tests/<app>/matrix.py`` as ``ROWS``.

A row says which roles get the success status; every other role gets ``denied`` (403), the foreign
agency's LEDS Representative gets ``foreign`` (404 for another agency's record), anonymous users are
sent to sign-in (302). ``overrides`` names the exceptions. tests/test_permission_matrix.py walks every
URL of our apps with every role and fails for a URL that has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("leds_rep", "laso", "supervisor", "employee", "agency_auditor", "state_auditor", "training_unit")
EVERY_ROLE = frozenset(ROLES)
AGENCY_READERS = frozenset({"leds_rep", "laso", "agency_auditor", "state_auditor"})
PEOPLE_READERS = AGENCY_READERS | {"supervisor", "employee"}
LEDS_REP = frozenset({"leds_rep"})


@dataclass
class Row:
    url: Callable  # (world) -> path
    ok: frozenset[str]
    ok_status: int = 200
    denied: int = 403
    foreign: int = 404
    anonymous: int = 302
    method: str = "get"
    data: Callable | dict | None = None
    overrides: dict[str, int] = field(default_factory=dict)

    def expected(self, who: str) -> int:
        if who in self.overrides:
            return self.overrides[who]
        if who == "anonymous":
            return self.anonymous
        if who == "foreign":
            return self.foreign
        return self.ok_status if who in self.ok else self.denied
