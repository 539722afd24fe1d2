"""Recording fingerprint submissions on a person's page (R-FP-1)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from people.models import Person
from people.permissions import MANAGE_PEOPLE, Role, has_role, role_required

from . import services
from .forms import FingerprintSubmissionForm

BACKGROUND_RECORDERS = MANAGE_PEOPLE | {Role.LASO}


def may_record_fingerprints(request, person) -> bool:
    return (has_role(request, BACKGROUND_RECORDERS) and request.agency is not None
            and person.agency_id == request.agency.pk and not person.is_separated)


@require_POST
@role_required(BACKGROUND_RECORDERS)
def record_fingerprints(request, pk):
    person = get_object_or_404(Person.objects.for_user(request.user), pk=pk)
    if not may_record_fingerprints(request, person):
        raise Http404("You cannot record this for this person.")
    form = FingerprintSubmissionForm(request.POST)
    saved = form.is_valid()
    if saved:
        services.record_fingerprints_submitted(person=person, actor=request.user, **form.cleaned_data)
        messages.success(request, "Fingerprint submission saved.")
    if request.htmx:
        return render(request, "compliance/_person_compliance.html",
                      {"person": person, "fingerprint_bound": None if saved else form})
    if not saved:
        messages.error(request, "; ".join(f"{f}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect("people:detail", pk=person.pk)
