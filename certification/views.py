"""Recording certification results on a person's page (htmx), and security incidents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.imports import ImportFlow, confirm_view, upload_view
from people.models import Person
from people.permissions import (
    MANAGE_PEOPLE,
    READ_AGENCY,
    RECORD_FOR_AGENCY,
    RECORD_KIND_ROLES,
    has_role,
    may_record,
    role_required,
)

from . import forms, importers, services
from .forms import RECORD_KINDS
from .models import SecurityIncident

RECORDERS = RECORD_FOR_AGENCY  # the LASO records security awareness and incidents (R-SA-1)


def _save(kind, person, data, actor):
    if kind == "certification":
        return services.record_certification_result(person=person, passed_on=data["passed_on"], level=data["level"],
                                                    score=data["score"], actor=actor)
    if kind == "guide_issued":
        return services.issue_training_guide(person=person, issued_on=data["issued_on"], actor=actor)
    if kind == "guide_completed":
        return services.complete_training_guide(person=person, completed_on=data["completed_on"], actor=actor)
    return services.record_security_awareness(person=person, completed_on=data["completed_on"], tier=data["tier"],
                                              actor=actor)


@require_POST
@role_required(RECORDERS)
def record(request, pk, kind):
    if kind not in RECORD_KINDS:
        raise Http404("No such record.")
    if not has_role(request, RECORD_KIND_ROLES[kind]):
        raise PermissionDenied("Your role does not record this.")
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    if not may_record(request, person, kind):
        raise Http404("You cannot record this for this person.")
    form = RECORD_KINDS[kind]["form"](request.POST)
    saved = False
    if form.is_valid():
        try:
            _save(kind, person, form.cleaned_data, request.user)
            saved = True
        except ValidationError as error:
            errors_by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
            for field, errors in errors_by_field.items():
                form.add_error(field if field in form.fields else None, errors)
    if saved:
        messages.success(request, f"{RECORD_KINDS[kind]['title'].replace('Record ', '').capitalize()} — saved.")
    if request.htmx:
        context = {"person": person, "bound": None if saved else form, "bound_kind": "" if saved else kind}
        return render(request, "compliance/_person_compliance.html", context)
    if not saved:
        messages.error(request, "; ".join(f"{f}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect("people:detail", pk=person.pk)


@role_required(READ_AGENCY)  # the LASO is one of them
def incidents(request):
    incidents = (SecurityIncident.objects.for_user(request.user).in_agency(request.agency)
                 .prefetch_related("people").order_by("-occurred_on"))
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    return render(request, "certification/incidents.html",
                  {"page": page, "can_record": has_role(request, RECORDERS)})


@role_required(RECORDERS)
def incident_create(request):
    people = Person.objects.for_user(request.user).in_agency(request.agency).exclude(status=Person.Status.SEPARATED)
    form = forms.SecurityIncidentForm(request.POST or None, people_queryset=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_security_incident(agency=request.agency, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            count = len(form.cleaned_data["people"])
            messages.success(request, f"Incident recorded; {count} {'person owes' if count == 1 else 'people owe'} "
                                      "security awareness retraining within 30 days (R-SA-1).")
            return redirect("certification:incidents")
    return render(request, "certification/incident_form.html", {"form": form})


IMPORTERS = RECORD_FOR_AGENCY  # the LASO imports fingerprints and background decisions (R-BG-4)


def _import_kinds(request):
    if has_role(request, MANAGE_PEOPLE):
        return importers.RECORD_KINDS
    return tuple(k for k in importers.RECORD_KINDS if k in importers.LASO_KINDS)


RECORDS_IMPORT = ImportFlow(  # the records import (certification/importers.py); the LASO sees only its kinds
    kind="records", title="Import records", required=importers.REQUIRED, optional=importers.OPTIONAL,
    upload_template="certification/import_upload.html", preview_template="certification/import_preview.html",
    file_label="Records file",
    upload_url="certification:import", confirm_url="certification:import_confirm", done_url="compliance:dashboard",
    plan=lambda request, data, filename, options: importers.plan_records(
        agency=request.agency, data=data, filename=filename, kinds=_import_kinds(request)),
    apply=lambda request, plan, filename, options: importers.apply_records(
        plan=plan, actor=request.user, filename=filename, request=request),
    upload_context=lambda request: {"kinds": _import_kinds(request)},
)


@role_required(IMPORTERS)
def records_import(request):
    """Upload a records spreadsheet (its columns matched to ours when they differ); the preview writes nothing."""
    return upload_view(request, RECORDS_IMPORT)


@require_POST
@role_required(IMPORTERS)
def records_import_confirm(request):
    return confirm_view(request, RECORDS_IMPORT,
                        success=lambda plan, filename: f"Records imported from {filename}: {plan.summary()}.")
