"""Recording certification results on a person's page (htmx), and security incidents."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from people.models import Person
from people.permissions import MANAGE_PEOPLE, READ_AGENCY, Role, has_role, role_required

from . import forms, services
from .models import SecurityIncident

RECORDERS = MANAGE_PEOPLE | {Role.LASO}  # the LASO records security awareness and incidents (R-SA-1)

RECORD_KINDS = {
    "certification": {"title": "Record a certification pass (nexTEST)", "form": forms.CertificationResultForm,
                      "roles": MANAGE_PEOPLE},
    "guide_issued": {"title": "Record training guide issued", "form": forms.TrainingGuideIssueForm,
                     "roles": MANAGE_PEOPLE},
    "guide_completed": {"title": "Record training guide completed", "form": forms.TrainingGuideCompletionForm,
                        "roles": MANAGE_PEOPLE},
    "awareness": {"title": "Record security awareness completed", "form": forms.SecurityAwarenessForm,
                  "roles": RECORDERS},
}


def may_record(request, person, kind) -> bool:
    return (has_role(request, RECORD_KINDS[kind]["roles"]) and request.agency is not None
            and person.agency_id == request.agency.pk and not person.is_separated)


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
    if not has_role(request, RECORD_KINDS[kind]["roles"]):
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


@role_required(READ_AGENCY | {Role.LASO})
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


IMPORTERS = MANAGE_PEOPLE | {Role.LASO}  # the LASO imports fingerprints and background decisions (R-BG-4)


def _import_kinds(request):
    from .importers import LASO_KINDS, RECORD_KINDS

    return RECORD_KINDS if has_role(request, MANAGE_PEOPLE) else tuple(k for k in RECORD_KINDS if k in LASO_KINDS)


@role_required(IMPORTERS)
def records_import(request):
    """Upload a records spreadsheet; the preview lists every error or what would be added."""
    from common.tabular import TabularError, check_upload, keep_upload

    from .importers import OPTIONAL, REQUIRED, plan_records

    kinds = _import_kinds(request)
    context = {"required": REQUIRED, "optional": OPTIONAL, "kinds": kinds}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            check_upload(upload)
            data = upload.read()
            plan = plan_records(agency=request.agency, data=data, filename=upload.name, kinds=kinds)
        except TabularError as error:
            context["file_error"] = str(error)
            return render(request, "certification/import_upload.html", context)
        token = keep_upload(data, upload.name, user=request.user, agency=request.agency) if plan.ok else ""
        return render(request, "certification/import_preview.html",
                      {"plan": plan, "token": token, "filename": upload.name})
    return render(request, "certification/import_upload.html", context)


@require_POST
@role_required(IMPORTERS)
def records_import_confirm(request):
    from common.tabular import TabularError, discard_upload, load_upload

    from .importers import apply_records, plan_records

    token = request.POST.get("token", "")
    try:
        data, filename = load_upload(token, user=request.user, agency=request.agency)
        plan = plan_records(agency=request.agency, data=data, filename=filename, kinds=_import_kinds(request))
    except TabularError as error:
        messages.error(request, str(error))
        return redirect("certification:import")
    if not plan.ok:
        return render(request, "certification/import_preview.html", {"plan": plan, "token": "", "filename": filename})
    apply_records(plan=plan, actor=request.user, filename=filename, request=request)
    discard_upload(token)
    messages.success(request, f"Records imported from {filename}: {plan.summary()}.")
    return redirect("compliance:dashboard")
