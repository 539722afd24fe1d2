"""The statewide pages: every agency at a glance, and the triennial audit calendar (issue 20). Thin views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audit import services as audit_services
from common.exports import table_response
from common.forms import add_service_errors
from people.models import Agency
from people.permissions import READ_STATEWIDE, SCHEDULE_AUDITS, has_role, role_required

from . import selectors
from .forms import RecordAuditForm, StatewideFilter

PAGE_SIZE = 50


def _rows(request):
    form = StatewideFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "name"
    every = selectors.statewide_rows(user=request.user, now=timezone.now())
    rows = selectors.filter_rows(every, query=filters.get("q", ""), flags=filters.get("flag") or [])
    return form, every, selectors.sort_rows(rows, sort), sort


@role_required(READ_STATEWIDE)
def dashboard(request):
    form, every, rows, sort = _rows(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    select = reverse("people:agency_select", args=[0]).replace("/0/", "/{}/")  # one reverse for the page's rows
    for row in page.object_list:
        row.open_url = select.format(row.pk)
    context = {"form": form, "page": page, "sort": sort, "totals": selectors.totals(every),
               "open_next": reverse("compliance:dashboard"),
               "shown": selectors.totals(rows), "filtered": len(rows) != len(every),
               "verdict_labels": selectors.VERDICT_LABELS}
    template = "statewide/_table.html" if request.htmx else "statewide/dashboard.html"
    return render(request, template, context)


EXPORT_HEADERS = ["ori", "agency", "leds_representatives", "leds_representative_emails", "lasos", "laso_emails",
                  "eligible", "not_yet_eligible", "must_be_suspended", "overdue_obligations", "validation_list_due",
                  "at_risk_of_purge", "last_state_audit", "next_state_audit", "open_corrective_actions",
                  "agreements_lapsed", "agreements_to_resign", "agreement_reviews_due", "security_log_review_overdue"]


def _export_row(r):
    return [r.ori, r.name, r.leds_representative_names, "; ".join(c.email for c in r.leds_representatives),
            r.laso_names, "; ".join(c.email for c in r.lasos), r.eligible, r.not_yet_eligible,
            r.must_be_suspended, r.overdue, r.validation_due_on, "yes" if r.at_risk_of_purge else "no",
            r.last_audit_on, r.next_audit_on, r.open_corrective_actions, r.agreements_lapsed,
            r.agreements_to_resign, r.agreements_review_due, "yes" if r.security_review_overdue else "no"]


@role_required(READ_STATEWIDE)
def export(request):
    """The filtered, sorted table (every page of it) as CSV or XLSX."""
    _form, _every, rows, _sort = _rows(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return table_response(filename=f"statewide-{timezone.localdate():%Y-%m-%d}", fmt=fmt, headers=EXPORT_HEADERS,
                          rows=(_export_row(r) for r in rows))


def _audit_page(request, *, form=None, form_agency_id=None, status=200):
    rows = selectors.audit_calendar(selectors.statewide_rows(user=request.user, now=timezone.now()))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_record": has_role(request, SCHEDULE_AUDITS), "form": form or RecordAuditForm(),
               "form_agency_id": form_agency_id, "soon_days": selectors.AUDIT_SOON_DAYS}
    return render(request, "statewide/audits.html", context, status=status)


@role_required(READ_STATEWIDE)
def audits(request):
    """R-AU-1: the triennial audit calendar across agencies, never audited and overdue first."""
    return _audit_page(request)


@require_POST
@role_required(SCHEDULE_AUDITS)
def audit_record(request, pk):
    """The state auditor records an agency's state audit from the calendar (through the audit service)."""
    agency = get_object_or_404(Agency.objects.for_user(request.user), pk=pk)
    form = RecordAuditForm(request.POST)
    if form.is_valid():
        try:
            audit = audit_services.record_audit(agency=agency, actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recorded the {audit} for {agency.name}; its next audit is due 3 years "
                                      "later.")
            return redirect("statewide:audits")
    return _audit_page(request, form=form, form_agency_id=agency.pk, status=400)
