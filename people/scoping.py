"""The one agency-scoping mechanism (DESIGN.md, HOUSE_STYLE.md).

Every agency-owned model declares ``scoping = Scoping(agency=..., person=...)`` and uses
``AgencyQuerySet``; every read of agency data starts at ``Model.objects.for_user(user)``. What a user
may see is resolved once per request (``get_access``) from their memberships:

* LEDS Representative, LASO, agency auditor: everything of their agency;
* supervisor: the people in their supervisor chain (and themself), and their agency's shared data;
* employee: themself, and their agency's shared data;
* state auditor: every agency (read-only: they hold no write role);
* state training unit: only models that opt in (training events), across agencies;
* a deployment administrator (superuser): everything.

Views never filter by agency by hand; another agency's record is simply not in the queryset (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.shortcuts import get_object_or_404

# Role values (people.models.Membership.Role); repeated as strings so this module imports no model.
LEDS_REPRESENTATIVE = "leds_rep"
LASO = "laso"
SUPERVISOR = "supervisor"
EMPLOYEE = "employee"
AGENCY_AUDITOR = "agency_auditor"
STATE_AUDITOR = "state_auditor"
STATE_TRAINING_UNIT = "training_unit"

STATE_ROLES = frozenset({STATE_AUDITOR, STATE_TRAINING_UNIT})
AGENCY_WIDE_ROLES = frozenset({LEDS_REPRESENTATIVE, LASO, AGENCY_AUDITOR})
PERSON_ROLES = frozenset({SUPERVISOR, EMPLOYEE})
ALL_ROLES = AGENCY_WIDE_ROLES | PERSON_ROLES | STATE_ROLES


@dataclass(frozen=True)
class Scoping:
    """How a model reaches its agency and (if it belongs to one person) its person.

    ``agency``: lookup path to the agency id ("" when the model *is* the agency).
    ``person``: lookup path to the person ("" when the model *is* the person; None for agency-level data
    that every member of the agency may read, such as the agency itself or its role holders).
    ``agency_roles``: roles that read every row of their agency (narrow it for sensitive data, R-BG-4).
    ``person_roles``: roles that read the rows of the people they may see.
    ``state_roles``: state roles that read every agency's rows.
    """

    agency: str
    person: str | None = None
    agency_roles: frozenset[str] = AGENCY_WIDE_ROLES
    person_roles: frozenset[str] = PERSON_ROLES
    state_roles: frozenset[str] = frozenset({STATE_AUDITOR})

    def agency_lookup(self) -> str:
        return f"{self.agency}__in" if self.agency else "pk__in"

    def person_lookup(self) -> str:
        return f"{self.person}__in" if self.person else "pk__in"


@dataclass
class Access:
    """What one user may see, resolved once per request."""

    user_id: int | None
    is_superuser: bool = False
    roles_by_agency: dict[int, frozenset[str]] = field(default_factory=dict)
    visible_person_ids: frozenset[int] = frozenset()  # self and (for supervisors) the chain below
    # the user's own Person row, read with the access: "you" on a page costs no query of its own (issue 23)
    person: Any = field(default=None, repr=False)

    @property
    def person_id(self) -> int | None:
        return self.person.pk if self.person is not None else None

    @property
    def person_agency_id(self) -> int | None:
        return self.person.agency_id if self.person is not None else None

    @property
    def state_roles(self) -> frozenset[str]:
        held: set[str] = set()
        for roles in self.roles_by_agency.values():
            held |= roles & STATE_ROLES
        return frozenset(held)

    @property
    def agency_ids(self) -> list[int]:
        return sorted(self.roles_by_agency)

    def roles_in(self, agency_id: int | None) -> frozenset[str]:
        """The roles this user acts with inside one agency (state roles apply in every agency)."""
        own = self.roles_by_agency.get(agency_id, frozenset()) if agency_id else frozenset()
        return frozenset(own | self.state_roles)

    def may_enter(self, agency_id: int) -> bool:
        return self.is_superuser or agency_id in self.roles_by_agency or bool(self.state_roles)


NO_ACCESS = Access(user_id=None)


def get_access(user) -> Access:
    """Resolve (and cache on the user object) what ``user`` may see. Three queries at most."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_leds_access", None)
    if cached is not None:
        return cached
    from .models import Membership, Person  # local: models import this module

    roles: dict[int, set[str]] = {}
    for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
        roles.setdefault(agency_id, set()).add(role)
    person = Person.objects.filter(user=user).first()
    visible: set[int] = set()
    if person:
        visible.add(person.pk)
        if SUPERVISOR in roles.get(person.agency_id, set()):
            visible |= _chain_below(person.pk, person.agency_id)
    access = Access(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        roles_by_agency={agency: frozenset(r) for agency, r in roles.items()},
        visible_person_ids=frozenset(visible),
        person=person,
    )
    user._leds_access = access
    return access


def _chain_below(person_id: int, agency_id: int) -> set[int]:
    """Everyone below ``person_id`` in the supervisor chain, from one query over the agency."""
    from .models import Person  # circular: people.models imports this module for its querysets and roles

    reports: dict[int, list[int]] = {}
    for pk, supervisor_id in Person.objects.filter(agency_id=agency_id, supervisor__isnull=False).values_list(
        "pk", "supervisor_id"
    ):
        reports.setdefault(supervisor_id, []).append(pk)
    found: set[int] = set()
    stack = [person_id]
    while stack:
        for child in reports.get(stack.pop(), []):
            if child not in found and child != person_id:
                found.add(child)
                stack.append(child)
    return found


class AgencyQuerySet(models.QuerySet):
    """The scoped queryset every agency-owned model uses."""

    def _scoping(self) -> Scoping:
        scoping = getattr(self.model, "scoping", None)
        if not isinstance(scoping, Scoping):
            raise TypeError(f"{self.model.__name__} must declare scoping = Scoping(...)")
        return scoping

    def for_user(self, user) -> AgencyQuerySet:
        """Every row ``user`` may read, across agencies; nothing for anonymous or inactive users."""
        access = get_access(user)
        if access.user_id is None:
            return self.none()
        if access.is_superuser:
            return self.all()
        scoping = self._scoping()
        if access.state_roles & scoping.state_roles:
            return self.all()
        condition = models.Q(pk__in=[])
        wide = [a for a, roles in access.roles_by_agency.items() if roles & scoping.agency_roles]
        if wide:
            condition |= models.Q(**{scoping.agency_lookup(): wide})
        members = [a for a, roles in access.roles_by_agency.items() if roles & scoping.person_roles]
        if members:
            if scoping.person is None:
                # agency-level data (the agency, its role holders): every member of the agency reads it
                condition |= models.Q(**{scoping.agency_lookup(): members})
            elif access.visible_person_ids:
                condition |= models.Q(
                    **{scoping.agency_lookup(): members, scoping.person_lookup(): access.visible_person_ids}
                )
        return self.filter(condition)

    def in_agency(self, agency) -> AgencyQuerySet:
        """Narrow an already scoped queryset to the agency a page is about (never a permission check)."""
        scoping = self._scoping()
        return self.filter(**{scoping.agency_lookup(): [agency.pk]})

    def managed_by(self, request) -> AgencyQuerySet:
        """The rows ``request.user`` may read in the agency the request acts in (``request.agency``): what a view
        may change. Nothing when the request acts in no agency."""
        if request.agency is None:
            return self.none()
        return self.for_user(request.user).in_agency(request.agency)


def get_managed_or_404(model, request, **lookup):
    """The one object a view acts on: readable by the user and of the agency the request acts in, else a 404
    (another agency's record is never a 403). ``model`` is an agency-owned model or a queryset of one (e.g. with
    ``select_related``)."""
    queryset = model._default_manager.all() if isinstance(model, type) else model
    return get_object_or_404(queryset.managed_by(request), **lookup)


def agency_id_of(obj) -> int | None:
    """The agency id of an agency-owned object, through its ``Scoping.agency`` path (no query when the path's
    objects are loaded)."""
    path = obj.scoping.agency
    if not path:
        return obj.pk
    *through, last = path.split("__")
    for name in through:
        obj = getattr(obj, name)
    return getattr(obj, f"{last}_id")


def acts_in_agency(request, obj) -> bool:
    """Whether ``obj`` belongs to the agency the request acts in: a view's "may change it here" (the object
    itself was read through ``for_user``)."""
    return request.agency is not None and agency_id_of(obj) == request.agency.pk
