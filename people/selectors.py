"""Reads for agencies and people, in a fixed number of queries (HOUSE_STYLE.md)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Agency, ColumnMapping, Membership, Person

ROSTER_SORTS = {
    "name": ("last_name", "first_name", "employee_id"),
    "-name": ("-last_name", "-first_name", "-employee_id"),
    "employee_id": ("employee_id",),
    "-employee_id": ("-employee_id",),
    "position": ("position", "last_name"),
    "-position": ("-position", "last_name"),
    "assigned_on": ("assigned_on", "last_name"),
    "-assigned_on": ("-assigned_on", "last_name"),
    "status": ("status", "last_name"),
    "-status": ("-status", "last_name"),
    "tier": ("role_tier", "last_name"),
    "-tier": ("-role_tier", "last_name"),
}


# What other apps add to the roster, registered from their AppConfig.ready() so people imports none of them:
# ``extend(people, agency=..., filters=...) -> people`` annotates (and may filter) the roster's queryset; compliance
# adds each person's verdict (R-PE-3) and filters by it (``?verdict=``).
_ROSTER_EXTENSIONS: list = []


def register_roster_extension(extend) -> None:
    if extend not in _ROSTER_EXTENSIONS:
        _ROSTER_EXTENSIONS.append(extend)


def roster(*, user, agency: Agency, query: str = "", sort: str = "name", status: str = "",
           filters: dict | None = None) -> QuerySet[Person]:
    """The people of ``agency`` that ``user`` may see, searched and sorted; two queries per page.

    ``filters`` are passed to the registered roster extensions (e.g. ``{"verdict": "must_be_suspended"}``)."""
    people = Person.objects.for_user(user).in_agency(agency).select_related("supervisor")
    for extend in _ROSTER_EXTENSIONS:
        people = extend(people, agency=agency, filters=filters or {})
    query = (query or "").strip()
    if query:
        for word in query.split():
            people = people.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(employee_id__icontains=word)
                | Q(position__icontains=word)
                | Q(email__icontains=word)
            )
    if status in Person.Status.values:
        people = people.filter(status=status)
    return people.order_by(*ROSTER_SORTS.get(sort, ROSTER_SORTS["name"]))


def status_counts(*, user, agency: Agency) -> dict[str, int]:
    """How many people of each status ``user`` may see in ``agency`` (one aggregate query)."""
    rows = Person.objects.for_user(user).in_agency(agency).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(Person.Status.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[s] for s in Person.Status.values)
    return counts


def role_holders(*, user, agency: Agency) -> list[dict]:
    """Who holds each role in ``agency``, from the memberships (one query)."""
    memberships = (
        Membership.objects.for_user(user)
        .in_agency(agency)
        .select_related("user", "user__person")
        .order_by("user__last_name", "user__username")
    )
    by_role: dict[str, list[Membership]] = {role: [] for role in Membership.Role.values}
    for membership in memberships:
        by_role[membership.role].append(membership)
    return [
        {"role": role, "label": label, "holders": by_role[role]}
        for role, label in Membership.Role.choices
        if by_role[role] or role in (Membership.Role.LEDS_REPRESENTATIVE, Membership.Role.LASO)
    ]


def visible_agencies(*, user) -> QuerySet[Agency]:
    return Agency.objects.for_user(user).order_by("name")


# --- the person picker (issue 23): search-as-you-type, never a <select> of the whole agency --------------------

SEARCH_LIMIT = 20
_SEARCH_SCOPES: dict = {}


def register_search_scope(name: str, narrow) -> None:
    """A named narrowing of the picker's people: ``narrow(people, agency) -> people`` (e.g. certified validators,
    registered by validations/). Named so a posted scope can only pick one the code defines."""
    _SEARCH_SCOPES[name] = narrow


def _active(people, agency):
    return people.exclude(status=Person.Status.SEPARATED)


def _supervisors(people, agency):
    return people.filter(direct_reports__isnull=False).distinct()


register_search_scope("active", _active)
register_search_scope("supervisors", _supervisors)


def search_people(*, user, agency, query: str, scope: str = "", limit: int = SEARCH_LIMIT) -> list:
    """At most ``limit`` people of the agency the user may read whose name or employee ID matches, by name.

    One query (two words match last and first name in either order). Scoped like every read
    (``Person.objects.for_user``); an unknown scope finds nobody.
    """
    words = query.split()
    if not words or (scope and scope not in _SEARCH_SCOPES):
        return []
    people = Person.objects.for_user(user).in_agency(agency)
    if scope:
        people = _SEARCH_SCOPES[scope](people, agency)
    for word in words[:3]:
        people = people.filter(Q(last_name__istartswith=word) | Q(first_name__istartswith=word)
                               | Q(employee_id__iexact=word))
    return list(people.order_by("last_name", "first_name", "pk").only(
        "pk", "last_name", "first_name", "employee_id", "status")[:limit])


def column_mapping(*, agency: Agency, kind: str, name: str = "default") -> ColumnMapping | None:
    """The agency's saved mapping of its own headers to ours for one import kind (issue 21), or None."""
    return ColumnMapping.objects.filter(agency=agency, kind=kind, name=name).first()

