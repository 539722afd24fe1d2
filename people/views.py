"""Thin views: resolve the scoped object, bind a form, call one service or selector, render."""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts import security_log
from accounts.models import SecurityEvent
from common.exports import table_response
from common.forms import add_service_errors

from . import selectors, services
from .forms import AgencyForm, PersonForm, SeparationForm
from .middleware import SESSION_AGENCY_KEY
from .models import Agency, Person
from .permissions import ANY_ROLE, MANAGE_PEOPLE, READ_AGENCY, READ_PEOPLE, has_role, role_required
from .scoping import acts_in_agency, get_managed_or_404


def home(request):
    """The agency's home page; people without a role are told so."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next=/")
    if request.agency is None:
        return render(request, "people/no_role.html", status=403)
    context = {
        "counts": selectors.status_counts(user=request.user, agency=request.agency),
        "own_person": request.access.person,
    }
    return render(request, "people/home.html", context)


@role_required(READ_PEOPLE)
def roster(request):
    sort = request.GET.get("sort", "name")
    people = selectors.roster(
        user=request.user,
        agency=request.agency,
        query=request.GET.get("q", ""),
        sort=sort,
        status=request.GET.get("status", ""),
        filters={"verdict": request.GET.get("verdict", "")},
    )
    page = Paginator(people, settings.LEDS_ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": request.GET.get("q", ""),
        "sort": sort,
        "status": request.GET.get("status", ""),
        "verdict": request.GET.get("verdict", ""),
        "statuses": Person.Status.choices,
        "can_manage": has_role(request, MANAGE_PEOPLE),
    }
    template = "people/_roster_table.html" if request.htmx else "people/roster.html"
    return render(request, template, context)


@role_required(READ_AGENCY)
def roster_export(request):
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    people = selectors.roster(
        user=request.user, agency=request.agency, query=request.GET.get("q", ""), sort="employee_id",
        status=request.GET.get("status", ""), filters={"verdict": request.GET.get("verdict", "")},
    )
    headers = ["employee_id", "last_name", "first_name", "email", "position", "assignment_date",
               "role_tier", "supervisor_employee_id", "status", "separation_date"]
    rows = (
        [p.employee_id, p.last_name, p.first_name, p.email, p.position, p.assigned_on, p.role_tier,
         p.supervisor.employee_id if p.supervisor else "", p.status,
         p.separated_at.astimezone(request.agency.zone).date() if p.separated_at else ""]
        for p in people.iterator(chunk_size=2000)
    )
    return table_response(filename=f"roster-{request.agency.ori}", fmt=fmt, headers=headers, rows=rows)


@role_required(READ_PEOPLE)
def person_detail(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("supervisor", "agency"), pk=pk)
    context = {
        "person": person,
        "can_manage": has_role(request, MANAGE_PEOPLE) and acts_in_agency(request, person),
        "direct_reports": Person.objects.for_user(request.user).filter(supervisor=person),
    }
    return render(request, "people/person_detail.html", context)


@role_required(MANAGE_PEOPLE)
def person_create(request):
    form = PersonForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.create_person(agency=request.agency, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} was added.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@role_required(MANAGE_PEOPLE)
def person_edit(request, pk):
    person = get_managed_or_404(Person, request, pk=pk)
    form = PersonForm(request.POST or None, instance=person, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person=person, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} was updated.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@role_required(MANAGE_PEOPLE)
def person_separate(request, pk):
    person = get_managed_or_404(Person, request, pk=pk)
    if person.is_separated:
        messages.info(request, f"{person.full_name} is already separated.")
        return redirect("people:detail", pk=person.pk)
    form = SeparationForm(request.POST or None, agency=request.agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moment = services.separation_moment(
            agency=request.agency, separated_on=data["separated_on"], at=data["separated_time"]
        )
        try:
            services.separate_person(person=person, actor=request.user, separated_at=moment, reason=data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} is marked separated; their sign-in is deactivated.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_separate.html", {"form": form, "person": person})


@role_required(ANY_ROLE)
def agency_detail(request):
    context = {
        "agency": request.agency,
        "holders": selectors.role_holders(user=request.user, agency=request.agency),
        "can_manage": has_role(request, MANAGE_PEOPLE),
    }
    return render(request, "people/agency_detail.html", context)


@role_required(MANAGE_PEOPLE)
def agency_edit(request):
    agency = request.agency
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        services.update_agency(agency=agency, actor=request.user, data=form.cleaned_data)
        messages.success(request, "Agency details saved.")
        return redirect("people:agency")
    return render(request, "people/agency_form.html", {"form": form, "agency": agency})


def agency_list(request):
    """Agencies the user may enter; state roles and administrators switch between them here."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    agencies = selectors.visible_agencies(user=request.user)
    if not (request.user.is_superuser or request.access.state_roles or len(request.access.agency_ids) > 1):
        raise PermissionDenied("You work in one agency only.")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    return render(request, "people/agency_list.html", {"page": page})


@require_POST
def agency_select(request, pk):
    if not request.user.is_authenticated:
        return redirect(reverse("account_login"))
    agency = get_object_or_404(Agency.objects.for_user(request.user), pk=pk)
    if not request.access.may_enter(agency.pk):
        raise Http404("No agency here.")
    previous = request.session.get(SESSION_AGENCY_KEY)
    request.session[SESSION_AGENCY_KEY] = agency.pk
    if previous != agency.pk:

        # entering another agency's records is logged, in the agency entered (R-SEC-5)
        security_log.record(event=SecurityEvent.Kind.ADMIN_ACTION, request=request, agency=agency,
                            target=f"agency:{agency.ori}", details={"action": "entered agency",
                                                                    "from": request.POST.get("source", "")[:40]})
    messages.info(request, f"You are now working in {agency.name}.")
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                    require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("home")






@role_required(ANY_ROLE)
def person_search(request):
    """The person picker's matches (common/widgets.py PersonSearch): at most 20 ``<li>`` options, scoped like every
    read. GET ``q`` (name or employee ID), ``scope`` (a named narrowing: active, supervisors, validators…)."""
    people = selectors.search_people(user=request.user, agency=request.agency, query=request.GET.get("q", "")[:60],
                                     scope=request.GET.get("scope", "")[:30])
    return render(request, "components/_person_search_results.html",
                  {"people": people, "query": request.GET.get("q", ""), "limit": selectors.SEARCH_LIMIT})
