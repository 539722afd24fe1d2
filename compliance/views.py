"""The dashboard and worklist (every number from the engine), its exports, and the rule table."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from common.exports import table_response
from people.models import Person
from people.permissions import DASHBOARD_ROLES, READ_AGENCY, READ_PEOPLE, has_role, role_required

from . import engine, selectors, services
from .forms import RuleSettingForm, WorklistFilter
from .models import RuleSetting
from .registry import obligation_label, obligation_names
from .templatetags.compliance import sees_sensitive


def _dashboard(request):
    people = Person.objects.for_user(request.user).in_agency(request.agency)
    supervisors = Person.objects.for_user(request.user).in_agency(request.agency).filter(
        direct_reports__isnull=False).distinct().order_by("last_name", "first_name")

    form = WorklistFilter(request.GET or None, obligations=obligation_names(), supervisors=supervisors)
    filters = form.cleaned_data if form.is_valid() else {}
    data = selectors.dashboard(
        people=people, agency=request.agency, whole_agency=has_role(request, READ_AGENCY),
        obligation=filters.get("obligation") or "",
        status=filters.get("status") or "", supervisor_id=filters.get("supervisor"), tier=filters.get("tier"),
        verdict=filters.get("verdict") or "",
    )
    return data, form


@role_required(DASHBOARD_ROLES)
def dashboard(request):
    data, form = _dashboard(request)
    paginator = Paginator(data.rows, 50)
    if data.rows_count is not None:
        paginator.count = data.rows_count  # stored with the obligations: no COUNT over the agency's rows (issue 23)
    page = paginator.get_page(request.GET.get("page"))
    context = {"data": data, "form": form, "page": page,
               "statuses": ["overdue", "due_soon", "open", "done", "not_required"]}
    template = "compliance/_worklist.html" if request.htmx else "compliance/dashboard.html"
    return render(request, template, context)


@role_required(DASHBOARD_ROLES)
def export(request):
    data, _form = _dashboard(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    headers = ["employee_id", "name", "verdict", "obligation", "rule", "status", "due", "done"]
    sees = sees_sensitive(request)

    # plain tuples, not model instances: 20,000 rows of a 10,000-person agency in about a second (issue 23)
    fields = ("person__employee_id", "person__last_name", "person__first_name", "verdict", "obligation", "rule_id",
              "status", "due", "title", "satisfied_by", "suspends_access", "is_sensitive", "key")

    def row(values):
        employee_id, last_name, first_name, verdict, name, rule_id, status, due, title, satisfied_by, suspends, \
            sensitive, key = values
        o = engine.Obligation(name, rule_id, status, due, title, satisfied_by=satisfied_by or None,
                              suspends_access=suspends, is_sensitive=sensitive, key=key)
        o = o if sees else o.masked()  # R-BG-4
        return [employee_id, f"{last_name}, {first_name}", engine.VERDICT_LABELS.get(verdict, verdict),
                obligation_label(o.obligation), o.rule_id, o.status, o.due, o.satisfied_by or ""]

    rows = (row(values) for values in data.rows.values_list(*fields).iterator(chunk_size=2000))
    return table_response(filename=f"worklist-{request.agency.ori}-{data.today:%Y-%m-%d}", fmt=fmt,
                          headers=headers, rows=rows)


@role_required(READ_PEOPLE)
def rules(request):
    return render(request, "compliance/rules.html", {"settings": RuleSetting.objects.all()})


@role_required()  # deployment administrators only: the state decides the numbers
def rule_edit(request, pk):
    setting = get_object_or_404(RuleSetting, pk=pk)
    form = RuleSettingForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        services.update_rule(setting=setting, data=form.cleaned_data, actor=request.user)
        messages.success(request, f"{setting.rule_id} ({setting.obligation}) saved; every deadline follows.")
        return redirect("compliance:rules")
    return render(request, "compliance/rule_form.html", {"form": form, "setting": setting})
