from django import template
from django.db import models

from compliance.engine import MUST_BE_SUSPENDED
from compliance.models import AgencyComputation, StoredObligation
from compliance.selectors import agency_today
from people.models import Person
from people.scoping import acts_in_agency
from state_access import selectors
from state_access.forms import VoidReasonForm
from state_access.models import StateAccount

register = template.Library()


def _reads_accounts(request) -> bool:
    return request.agency is not None and request.can.read_agency


@register.inclusion_tag("state_access/_person_accounts_panel.html", takes_context=True)
def person_state_accounts(context, person):
    """The person page's line: their state-system accounts, for the roles that read them (R-AC-1)."""
    request = context["request"]
    if not _reads_accounts(request):
        return {"show": False}
    accounts = list(StateAccount.objects.for_user(request.user).filter(person=person, voided_at__isnull=True)
                    .select_related("system").order_by("system__name"))
    active = [a for a in accounts if a.status == StateAccount.Status.ACTIVE]
    must_disable = 0
    if active and acts_in_agency(request, person):  # R-PE-3 / R-AC-1: suspended access, accounts still on
        # the stored verdict (every row of a person carries it): a page reads, never runs the engine (issue 23)
        # (no ORDER BY: any row will do, read through the person index)
        verdict = StoredObligation.objects.filter(person=person).order_by().values_list("verdict", flat=True)[:1]
        if list(verdict) == [MUST_BE_SUSPENDED]:
            must_disable = len(active)
    return {"show": True, "person": person, "accounts": accounts, "request": request, "must_disable": must_disable,
            "may_request": request.can.record_for_agency}


PANEL_ROWS = 10


@register.inclusion_tag("state_access/_dashboard_accounts.html", takes_context=True)
def state_account_alerts(context):
    """The dashboard's panel: accounts still enabled past their 24-hour disablement (red, with how late,
    R-AC-2), accounts unused for 90 days (R-AC-3) and the agency's next access review (R-AC-4). A fixed number
    of queries; the longest-late and the longest-unused are named, the rest counted."""
    request = context["request"]
    if not _reads_accounts(request):
        return {"show": False}
    agency, today = request.agency, agency_today(request.agency)
    scoped = StateAccount.objects.for_user(request.user).in_agency(agency)
    ended = selectors.accounts_of_ended_access(agency=agency, accounts=scoped)
    late = [(entry.person, timing) for entry in selectors.agency_accounts(agency=agency, accounts=ended,
                                                                         with_actors=False)
            for timing in entry.accounts if timing.is_late]
    late.sort(key=lambda pair: -pair[1].hours_late)
    unused_all = selectors.unused_accounts(agency=agency, accounts=scoped, today=today)
    # the longest-unused and how many in all, in one statement (the count is a window over the same rows)
    first_rows = list(unused_all.annotate(total=models.Window(models.Count("pk")))
                      .order_by(models.F("last_login_on").asc(nulls_first=True), "activated_at")
                      .values_list("pk", "total")[:PANEL_ROWS])
    unused_count = first_rows[0][1] if first_rows else 0
    oldest = [pk for pk, _ in first_rows]
    unused = [(entry.person, timing) for entry in selectors.agency_accounts(
        agency=agency, accounts=scoped.filter(pk__in=oldest), with_actors=False) for timing in entry.accounts]
    not_eligible = selectors.not_eligible_with_active_accounts(
        agency=agency, people=Person.objects.for_user(request.user).in_agency(agency), accounts=scoped)
    # counted when the obligations were stored (these roles read the whole agency); counted here only before that
    stored = AgencyComputation.objects.filter(agency=agency).values_list("figures", flat=True).first() or {}
    not_eligible_count = stored.get("not_eligible_with_accounts")
    if not_eligible_count is None:
        not_eligible_count = not_eligible.count()
    return {"show": True, "late": late[:PANEL_ROWS], "late_count": len(late), "unused": unused,
            "not_eligible": list(not_eligible[:PANEL_ROWS]), "not_eligible_count": not_eligible_count,
            "unused_count": unused_count, "request": request,
            "review": selectors.access_review_summary(agency=agency, today=today)}


@register.inclusion_tag("state_access/_void_form.html")
def void_form(kind, record):
    """The "void this record" form of one record, its field through the form renderer."""
    return {"kind": kind, "record": record, "form": VoidReasonForm(auto_id=f"void-{kind}-{record.pk}-%s")}
