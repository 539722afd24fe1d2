"""The roster import in the browser (upload → preview → confirm) and the person history page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from common.imports import ImportFlow, confirm_view, job_view, upload_view

from .history import person_history
from .importers import OPTIONAL, REQUIRED, apply_roster, plan_roster
from .models import Person
from .permissions import MANAGE_PEOPLE, READ_PEOPLE, RECORD_FOR_AGENCY, role_required

ROSTER_IMPORT = ImportFlow(
    kind="roster", title="Import the roster", required=REQUIRED, optional=OPTIONAL,
    upload_template="people/import_upload.html", preview_template="people/import_preview.html",
    file_label="Roster file",
    upload_url="people:import", confirm_url="people:import_confirm", done_url="people:roster",
    plan=lambda request, data, filename, options: plan_roster(agency=request.agency, data=data, filename=filename),
    apply=lambda request, plan, filename, options: apply_roster(plan=plan, actor=request.user, filename=filename),
)


@role_required(MANAGE_PEOPLE)
def roster_import(request):
    """Upload an HR export (its columns matched to ours when they differ); the preview writes nothing."""
    return upload_view(request, ROSTER_IMPORT)


@require_POST
@role_required(MANAGE_PEOPLE)
def roster_import_confirm(request):
    return confirm_view(request, ROSTER_IMPORT,
                        success=lambda plan, filename: f"Roster imported from {filename}: {plan.summary()}.")


@role_required(RECORD_FOR_AGENCY)  # the roles that import; each sees only their own uploads in this agency
def import_job(request, pk):
    """A large upload of any import (common.imports): its progress while a worker reads it, then its preview."""
    return job_view(request, pk)


@role_required(READ_PEOPLE)
def history(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    entries = person_history(person=person, roles=request.roles, is_superuser=request.user.is_superuser,
                             request=request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "people/person_history.html", {"person": person, "page": page})
