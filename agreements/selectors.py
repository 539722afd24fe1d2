"""Reads of the agreements register: whole agencies in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from compliance.engine import Rule
from compliance.selectors import rule_table
from people.models import Person

from . import rules
from .defaults import AGREEMENT_RULES
from .models import Agreement, AgreementParty, AgreementReview, AgreementSignatory


def holder_of_record_oris(*, agency, on: date) -> set[str]:
    """R-VA-5: ORIs that enter records for ``agency`` under a holder-of-record agreement in force on ``on``."""
    return set(
        AgreementParty.objects.filter(
            agreement__agency=agency, agreement__kind=Agreement.Kind.HOLDER_OF_RECORD,
            agreement__voided_at__isnull=True, agreement__effective_on__lte=on,
        ).filter(Q(agreement__ends_on__isnull=True) | Q(agreement__ends_on__gte=on)).exclude(ori="")
        .values_list("ori", flat=True)
    )


def agreement_rules() -> tuple[Rule, Rule]:
    """R-AGR-2's rows of the rule table (review, re-sign), falling back to the seeded defaults."""
    table = rule_table()
    defaults = {o: Rule(o, rid, title, value, unit, tuple(sorted(lead, reverse=True)))
                for o, rid, title, value, unit, lead in AGREEMENT_RULES}
    return (table.get(rules.REVIEW, defaults[rules.REVIEW]), table.get(rules.RESIGN, defaults[rules.RESIGN]))


@dataclass
class RegisterRow:
    agreement: Agreement
    standing: rules.Standing


def _separated_on(person: Person | None, zone) -> date | None:
    if person is None or person.status != Person.Status.SEPARATED or person.separated_at is None:
        return None
    return timezone.localtime(person.separated_at, zone).date()


def facts_of(agreement: Agreement, zone) -> rules.AgreementFacts:
    """Plain facts of an agreement whose signatories (with people) and reviews are prefetched."""
    officials = tuple(
        rules.SigningOfficial(name=s.display_name, signed_on=s.signed_on, separated_on=_separated_on(s.person, zone))
        for s in agreement.signatories.all() if s.is_signing_official and s.person_id and s.voided_at is None
    )
    reviewed = [r.reviewed_on for r in agreement.reviews.all() if r.voided_at is None]
    return rules.AgreementFacts(
        effective_on=agreement.effective_on, ends_on=agreement.ends_on,
        last_reviewed_on=max(reviewed, default=None), signing_officials=officials, is_voided=agreement.is_voided,
    )


def with_details(agreements):
    """Prefetch what a register needs (parties, signatories with people, reviews): four queries in all."""
    return agreements.select_related("agency").prefetch_related(
        "parties",
        Prefetch("signatories", queryset=AgreementSignatory.objects.select_related("person")),
        Prefetch("reviews", queryset=AgreementReview.objects.select_related("reviewed_by")),
    )


def agreement_register(*, agreements, today: date) -> list[RegisterRow]:
    """Every agreement of ``agreements`` (a scoped queryset of one agency) with its R-AGR-2 standing."""
    review_rule, resign_rule = agreement_rules()
    rows = []
    for agreement in with_details(agreements):
        facts = facts_of(agreement, agreement.agency.zone)
        rows.append(RegisterRow(agreement, rules.standing(facts, review_rule=review_rule, resign_rule=resign_rule,
                                                          today=today)))
    return rows


def agreement_standing(*, agreement: Agreement, today: date) -> rules.Standing:
    review_rule, resign_rule = agreement_rules()
    agreement = with_details(Agreement.objects.filter(pk=agreement.pk)).get()
    return rules.standing(facts_of(agreement, agreement.agency.zone), review_rule=review_rule,
                          resign_rule=resign_rule, today=today)


def needing_attention(*, agreements, today: date) -> list[RegisterRow]:
    """The dashboard's list: agreements to re-sign (countdown), lapsed, or due for review (R-AGR-2)."""
    wanted = {rules.RESIGN_NEEDED, rules.LAPSED, rules.REVIEW_OVERDUE, rules.REVIEW_DUE_SOON}
    rows = [row for row in agreement_register(agreements=agreements.filter(voided_at__isnull=True), today=today)
            if row.standing.status in wanted]
    order = [rules.LAPSED, rules.RESIGN_NEEDED, rules.REVIEW_OVERDUE, rules.REVIEW_DUE_SOON]
    return sorted(rows, key=lambda r: (order.index(r.standing.status),
                                       r.standing.resign_by or r.standing.review_due_on))

