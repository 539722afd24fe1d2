"""The roster import in the browser (upload → preview → confirm) and the person history page."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.import_flow import ImportFlow

from .history import person_history
from .importers import OPTIONAL, REQUIRED, apply_roster, plan_roster
from .models import Person
from .permissions import MANAGE_PEOPLE, READ_PEOPLE, role_required

ROSTER_IMPORT = ImportFlow(
    upload_url="people:import", upload_template="people/import_upload.html",
    preview_template="people/import_preview.html",
    context=lambda request: {"required": REQUIRED, "optional": OPTIONAL},
    plan=lambda request, data, filename: plan_roster(agency=request.agency, data=data, filename=filename),
    apply=lambda request, plan, filename: apply_roster(plan=plan, actor=request.user, filename=filename),
    done=lambda request, result: redirect("people:roster"),
    done_message="Roster imported from {filename}: {summary}.",
)


@role_required(MANAGE_PEOPLE)
def roster_import(request):
    """Upload an HR export; a clean or faulty file gets a preview, nothing is written yet."""
    return ROSTER_IMPORT.upload(request)


@require_POST
@role_required(MANAGE_PEOPLE)
def roster_import_confirm(request):
    return ROSTER_IMPORT.confirm(request)


@role_required(READ_PEOPLE)
def history(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    entries = person_history(person=person, roles=request.roles, is_superuser=request.user.is_superuser,
                             request=request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "people/person_history.html", {"person": person, "page": page})
