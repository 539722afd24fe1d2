"""The roster import in the browser (upload → preview → confirm) and the person history page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.tabular import TabularError, check_upload, discard_upload, keep_upload, load_upload

from .history import person_history
from .importers import OPTIONAL, REQUIRED, apply_roster, plan_roster
from .models import Person
from .permissions import MANAGE_PEOPLE, READ_PEOPLE, role_required


@role_required(MANAGE_PEOPLE)
def roster_import(request):
    """Upload an HR export; a clean or faulty file gets a preview, nothing is written yet."""
    context = {"required": REQUIRED, "optional": OPTIONAL}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            check_upload(upload)
            data = upload.read()
            plan = plan_roster(agency=request.agency, data=data, filename=upload.name)
        except TabularError as error:
            context["file_error"] = str(error)
            return render(request, "people/import_upload.html", context, status=200)
        token = keep_upload(data, upload.name, user=request.user, agency=request.agency) if plan.ok else ""
        return render(request, "people/import_preview.html", {"plan": plan, "token": token,
                                                               "filename": upload.name})
    return render(request, "people/import_upload.html", context)


@require_POST
@role_required(MANAGE_PEOPLE)
def roster_import_confirm(request):
    token = request.POST.get("token", "")
    try:
        data, filename = load_upload(token, user=request.user, agency=request.agency)
        plan = plan_roster(agency=request.agency, data=data, filename=filename)
    except TabularError as error:
        messages.error(request, str(error))
        return redirect("people:import")
    if not plan.ok:  # the agency changed since the preview
        return render(request, "people/import_preview.html", {"plan": plan, "token": "", "filename": filename})
    apply_roster(plan=plan, actor=request.user, filename=filename)
    discard_upload(token)
    messages.success(request, f"Roster imported from {filename}: {plan.summary()}.")
    return redirect("people:roster")


@role_required(READ_PEOPLE)
def history(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    entries = person_history(person=person, roles=request.roles, is_superuser=request.user.is_superuser,
                             request=request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "people/person_history.html", {"person": person, "page": page})
