"""Reads of validations, each in a fixed number of queries whatever the size of the list (HOUSE_STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from compliance.engine import DONE, DUE_SOON, Rule
from compliance.models import StoredObligation
from compliance.selectors import person_compliance, rule_table
from people.models import Person

from . import rules
from .defaults import VALIDATION_RULES
from .models import ContactLog, CycleAmendment, ProcedureDocument, RecordType, ValidationCycle, ValidationEntry

# the register's "due soon" filter: what the next list or two may bring (R-VA-2)
REGISTER_HORIZON = timedelta(days=45)


def validation_rules() -> dict[str, Rule]:
    """The rule table's validation rows (R-VA-2, R-VA-3), falling back to RULES.md's defaults (``rule_table()``)."""
    table = {obligation: Rule(obligation, rule_id, title, value, unit, tuple(sorted(lead, reverse=True)))
             for obligation, rule_id, title, value, unit, lead in VALIDATION_RULES}
    stored = rule_table()  # the request's one read of the table (issue 23)
    table.update((name, stored[name]) for name in list(table) if name in stored)
    return table


def record_types() -> dict[str, RecordType]:
    """Active record types by MKE. One query."""
    return {t.mke: t for t in RecordType.objects.filter(is_active=True)}


def with_progress(cycles):
    """Annotate cycles with their entry counts: entries, with an outcome, assigned. One query with the cycles."""
    return cycles.annotate(
        entry_count=Count("entries"),
        done_count=Count("entries", filter=~Q(entries__outcome="")),
        assigned_count=Count("entries", filter=Q(entries__validator__isnull=False)),
    )


@dataclass(frozen=True)
class CycleState:
    """What a cycle page and the dashboard show (R-VA-3)."""

    cycle: ValidationCycle
    entry_count: int
    done_count: int
    assigned_count: int
    is_at_risk_of_purge: bool
    can_certify: bool

    @property
    def remaining(self) -> int:
        return self.entry_count - self.done_count

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.entry_count) if self.entry_count else 0


def cycle_state(cycle: ValidationCycle, *, today: date) -> CycleState:
    """The state of one cycle annotated by ``with_progress``."""
    return CycleState(
        cycle=cycle, entry_count=cycle.entry_count, done_count=cycle.done_count,
        assigned_count=cycle.assigned_count,
        is_at_risk_of_purge=rules.is_at_risk_of_purge(due_on=cycle.due_on, is_certified=cycle.is_certified,
                                                      today=today),
        can_certify=not cycle.is_certified and rules.can_certify(entry_count=cycle.entry_count,
                                                                 with_outcome=cycle.done_count),
    )


def current_cycle(*, cycles, today: date) -> CycleState | None:
    """The cycle the agency works on: the oldest uncertified one, else the latest. Two queries at most: the cycle
    is chosen first, then only its entries are counted (not every open cycle's, issue 23)."""
    oldest_open = cycles.filter(certified_at__isnull=True).order_by("received_on", "pk").values("pk")[:1]
    cycle = with_progress(cycles.filter(pk__in=oldest_open)).first()
    if cycle is None:
        latest = cycles.order_by("-received_on", "-pk").values("pk")[:1]
        cycle = with_progress(cycles.filter(pk__in=latest)).first()
    return cycle_state(cycle, today=today) if cycle else None


def worklist(*, entries, validator: Person | None = None, cycle: ValidationCycle | None = None,
             open_only: bool = False):
    """A validator's entries (or a cycle's), ready for a page: two queries per page, whatever the size.

    ``entries`` is a scoped ValidationEntry queryset. The record type and cycle come joined; the live
    contacts are counted in the same query.
    """
    rows = entries
    if validator is not None:
        rows = rows.filter(validator=validator)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    if open_only:
        rows = rows.filter(outcome="")
    # the live contacts as a correlated subquery, not a JOIN + GROUP BY: PostgreSQL then counts them only for the
    # page's rows, and the paginator's COUNT leaves them out (a 20,000-entry list took ~3 s, issue 23)
    live = (ContactLog.objects.filter(entry=OuterRef("pk"), voided_at__isnull=True).order_by()
            .values("entry").annotate(n=Count("pk")).values("n"))
    # one list: in its own line order, read from the index (no sort of 20,000 rows per page, issue 23)
    order = ("line", "pk") if cycle is not None else ("cycle__received_on", "line", "pk")
    return rows.select_related("record_type", "cycle", "validator").annotate(
        contact_count=Coalesce(Subquery(live, output_field=IntegerField()), 0)
    ).order_by(*order)


def entry_detail(*, entries, pk: int) -> ValidationEntry:
    """One entry with its cycle, record type, validator and live contacts (DoesNotExist outside ``entries``)."""
    return entries.select_related("cycle", "cycle__agency", "record_type", "validator", "outcome_by").prefetch_related(
        Prefetch("contacts", queryset=ContactLog.objects.filter(voided_at__isnull=True).select_related("recorded_by")),
        Prefetch("amendments", queryset=CycleAmendment.objects.select_related("amended_by")),
    ).get(pk=pk)


def certified_validators(*, people, agency, today: date):
    """R-VA-4: the staff who may validate: active, with a sign-in, and currently LEDS-certified (R-CE-4).

    "Certified" is the engine's own verdict on the recertification obligation (done or due soon), read from the
    stored obligations, so this list agrees with the dashboard. A fixed number of queries.
    """

    certified = StoredObligation.objects.filter(agency=agency, obligation="recertification",
                                                status__in=[DONE, DUE_SOON]).values("person_id")
    return people.filter(status=Person.Status.ACTIVE, user__isnull=False, user__is_active=True,
                         pk__in=certified).order_by("last_name", "first_name")


def may_validate(*, person: Person, today: date) -> bool:
    """R-VA-4 for one person, decided now by the engine: active, with an active sign-in, and LEDS-certified
    (recertification done or due soon, R-CE-4). For writes (assigning entries), which must not trust a store the
    refresh task may not have caught up with yet. A few queries."""

    if person.status != Person.Status.ACTIVE or not person.user_id or not person.user.is_active:
        return False
    return any(o.obligation == "recertification" and o.status in (DONE, DUE_SOON)
               for o in person_compliance(person=person, today=today).obligations)


def outcome_counts(*, entries) -> list[tuple[str, int]]:
    """Entries per outcome, in the outcome list's order (one query)."""
    counts = dict(entries.order_by().values_list("outcome").annotate(n=Count("pk")))
    return [(label, counts.get(value, 0)) for value, label in ValidationEntry.Outcome.choices]


def register_rows(page_rows, *, rules_table: dict[str, Rule], today: date) -> list:
    """Attach each registered entry's R-VA-2 status (pure) to a page of rows (record_type selected)."""
    for row in page_rows:
        row.status = rules.register_status(
            dte=row.dte, last_validated_on=row.last_validated_on, is_person_record=row.record_type.is_person_record,
            rules=rules_table, today=today, cancelled_on=row.cancelled_on)
    return page_rows


# --- for the compliance engine (compliance/registry.py) ---------------------------------------------------

def load_worklists(agency_ids: list[int], person_ids: list[int] | None = None) -> dict[int, tuple]:
    """R-VA-3, R-VA-4: each validator's share of every list not yet certified, keyed by person pk.

    ``{person pk: (rules.WorklistCycle, ...)}`` oldest list first: entries assigned and those still without an
    outcome, per list. One grouped query for whole agencies, whatever the number of lists and entries.
    """
    entries = ValidationEntry.objects.filter(cycle__agency_id__in=agency_ids, cycle__certified_at__isnull=True,
                                             validator__isnull=False)
    if person_ids is not None:
        entries = entries.filter(validator_id__in=person_ids)
    rows = entries.values("validator_id", "cycle_id", "cycle__received_on", "cycle__due_on").annotate(
        assigned=Count("pk"), without_outcome=Count("pk", filter=Q(outcome="")), last_outcome_on=Max("outcome_on"),
    ).order_by("validator_id", "cycle__received_on", "cycle_id")
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row["validator_id"], []).append(rules.WorklistCycle(
            cycle_pk=row["cycle_id"], received_on=row["cycle__received_on"], due_on=row["cycle__due_on"],
            assigned=row["assigned"], without_outcome=row["without_outcome"],
            last_outcome_on=row["last_outcome_on"]))
    return {person_pk: tuple(cycles) for person_pk, cycles in grouped.items()}


# --- for the audit packet (issue 12) -----------------------------------------------------------------------

def cycles_for_audit(*, agency, start: date, end: date) -> list[ValidationCycle]:
    """The agency's cycles received from ``start`` to ``end`` (inclusive), oldest first, for the audit packet.

    Each cycle carries ``entry_count``/``done_count``/``assigned_count``, its ``amendments``, and its
    ``entries`` (in list order) each with ``record_type``, ``validator``, ``outcome_by`` and its live
    ``contacts`` (oldest first). Four queries, whatever the number of cycles and entries.
    """
    entries = ValidationEntry.objects.select_related("record_type", "validator", "outcome_by").prefetch_related(
        Prefetch("contacts", queryset=ContactLog.objects.filter(voided_at__isnull=True).order_by("contacted_on", "pk"))
    ).order_by("line", "pk")
    cycles = with_progress(ValidationCycle.objects.filter(agency=agency, received_on__gte=start, received_on__lte=end))
    return list(cycles.select_related("certified_by").prefetch_related(
        Prefetch("entries", queryset=entries),
        Prefetch("amendments", queryset=CycleAmendment.objects.select_related("amended_by", "entry")),
    ).order_by("received_on", "pk"))


def current_procedure(*, agency, on: date) -> ProcedureDocument | None:
    """R-VA-4: the validation procedure in effect on ``on`` (latest effective date, not voided). One query."""
    return ProcedureDocument.objects.filter(agency=agency, voided_at__isnull=True, effective_on__lte=on).order_by(
        "-effective_on", "-pk").first()
