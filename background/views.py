"""Recording fingerprint submissions on a person's page (R-FP-1)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import security_log
from people.models import Person
from people.permissions import READ_BACKGROUND, RECORD_FOR_AGENCY, has_role, may_record_fingerprints, role_required
from people.scoping import acts_in_agency, get_managed_or_404

from . import services
from .forms import AdjudicationForm, FingerprintSubmissionForm
from .models import FingerprintCheck

BACKGROUND_RECORDERS = RECORD_FOR_AGENCY


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


BACKGROUND_READERS = READ_BACKGROUND  # R-BG-4: LEDS Representative, LASO and auditors


def log_background_read(*, request, person, view: str = "person") -> None:
    """R-BG-4: one security-log row for a page or export that shows a person's background fields."""

    security_log.record_background_read(request=request, agency=person.agency, view=view,
                                        what=f"background checks of {person} (person {person.pk})")


@role_required(BACKGROUND_READERS)
def person_background(request, pk):
    """A person's background checks and adjudication; every view writes one security-log row (R-BG-4)."""
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("agency"), pk=pk)
    checks = list(FingerprintCheck.objects.for_user(request.user).filter(person=person).order_by("-submitted_on"))
    log_background_read(request=request, person=person)
    can_adjudicate = has_role(request, BACKGROUND_RECORDERS) and acts_in_agency(request, person)
    panels = [(check, AdjudicationForm(check=check, prefix=f"c{check.pk}")) for check in checks]
    return render(request, "background/person_background.html",
                  {"person": person, "panels": panels, "can_adjudicate": can_adjudicate})


@require_POST
@role_required(BACKGROUND_RECORDERS)
def adjudicate(request, pk):
    check = get_managed_or_404(FingerprintCheck.objects.select_related("person"), request, pk=pk)
    form = AdjudicationForm(request.POST, check=check, prefix=f"c{check.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.adjudicate(check=check, outcome=data["outcome"], on=data["on"], actor=request.user,
                                denial_reason=data["denial_reason"], notice_sent_on=data["notice_sent_on"],
                                reference=data["reference"])
        except ValidationError as error:
            messages.error(request, " ".join(" ".join(e) for e in error.message_dict.values()))
        else:
            messages.success(request, "Adjudication recorded.")
    else:
        messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                                         for f, e in form.errors.items()))
    return redirect("background:person", pk=check.person_id)
