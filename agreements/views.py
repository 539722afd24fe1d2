"""Thin views of the agreements register: the LEDS Representative keeps it; agency members and auditors read."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.forms import add_service_errors, call_service
from compliance.selectors import agency_today
from people.models import Person
from people.permissions import MANAGE_AGREEMENTS, READ_PEOPLE, has_role, role_required

from . import selectors, services
from .forms import AgreementForm, DocumentForm, PartyForm, ReviewForm, SignatoryForm, VoidForm
from .models import Agreement


def _scoped(request):
    return Agreement.objects.for_user(request.user).in_agency(request.agency)


def _people(request, agreement):
    return Person.objects.for_user(request.user).in_agency(agreement.agency).exclude(
        status=Person.Status.SEPARATED).order_by("last_name", "first_name")



@role_required(READ_PEOPLE)
def agreement_list(request):
    today = agency_today(request.agency)
    rows = selectors.agreement_register(agreements=_scoped(request), today=today)
    return render(request, "agreements/agreement_list.html", {
        "rows": rows, "today": today, "can_manage": has_role(request, MANAGE_AGREEMENTS)})


def _detail(request, agreement, **forms):
    people = _people(request, agreement)
    context = {
        "agreement": selectors.with_details(Agreement.objects.filter(pk=agreement.pk)).get(),
        "standing": selectors.agreement_standing(agreement=agreement, today=agency_today(agreement.agency)),
        "can_manage": has_role(request, MANAGE_AGREEMENTS) and not agreement.is_voided,
        "party_form": forms.get("party_form") or PartyForm(),
        "signatory_form": forms.get("signatory_form") or SignatoryForm(people=people),
        "review_form": forms.get("review_form") or ReviewForm(people=people),
        "document_form": forms.get("document_form") or DocumentForm(),
        "void_form": forms.get("void_form") or VoidForm(),
    }
    status = 400 if forms else 200
    return render(request, "agreements/agreement_detail.html", context, status=status)


@role_required(READ_PEOPLE)
def agreement_detail(request, pk):
    return _detail(request, get_object_or_404(Agreement.objects.for_user(request.user), pk=pk))


@role_required(MANAGE_AGREEMENTS)
def agreement_create(request):
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        ok, agreement = call_service(form, services.create_agreement, agency=request.agency, actor=request.user)
        if ok:
            messages.success(request, f"Added {agreement}.")
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/agreement_form.html", {"form": form})


@role_required(MANAGE_AGREEMENTS)
def agreement_edit(request, pk):
    agreement = get_object_or_404(Agreement.objects.for_user(request.user), pk=pk)
    if agreement.is_voided:
        raise Http404("A voided agreement cannot be edited.")
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST":
        ok, _ = call_service(form, services.update_agreement, agreement=agreement, actor=request.user)
        if ok:
            messages.success(request, "Saved.")
            return redirect("agreements:detail", pk=agreement.pk)
    return render(request, "agreements/agreement_form.html", {"form": form, "agreement": agreement})


def _managed(request, pk):
    agreement = get_object_or_404(Agreement.objects.for_user(request.user), pk=pk)
    if agreement.is_voided:
        raise Http404("A voided agreement cannot be changed.")
    return agreement


@require_POST
@role_required(MANAGE_AGREEMENTS)
def agreement_void(request, pk):
    agreement = _managed(request, pk)
    form = VoidForm(request.POST)
    if form.is_valid():
        services.void_agreement(agreement=agreement, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Voided {agreement}. It stays in the register's history.")
        return redirect("agreements:list")
    return _detail(request, agreement, void_form=form)


@require_POST
@role_required(MANAGE_AGREEMENTS)
def party_add(request, pk):
    agreement = _managed(request, pk)
    form = PartyForm(request.POST)
    ok, _ = call_service(form, services.add_party, agreement=agreement, actor=request.user)
    if ok:
        messages.success(request, f"Added {form.cleaned_data['name']} as a party.")
        return redirect("agreements:detail", pk=agreement.pk)
    return _detail(request, agreement, party_form=form)


@require_POST
@role_required(MANAGE_AGREEMENTS)
def signatory_add(request, pk):
    agreement = _managed(request, pk)
    form = SignatoryForm(request.POST, people=_people(request, agreement))
    ok, _ = call_service(form, services.add_signatory, agreement=agreement, actor=request.user)
    if ok:
        messages.success(request, "Signature recorded.")
        return redirect("agreements:detail", pk=agreement.pk)
    return _detail(request, agreement, signatory_form=form)


@require_POST
@role_required(MANAGE_AGREEMENTS)
def review_add(request, pk):
    agreement = _managed(request, pk)
    form = ReviewForm(request.POST, people=_people(request, agreement))
    ok, _ = call_service(form, services.record_review, agreement=agreement, actor=request.user)
    if ok:
        messages.success(request, "Annual review recorded.")
        return redirect("agreements:detail", pk=agreement.pk)
    return _detail(request, agreement, review_form=form)


@require_POST
@role_required(MANAGE_AGREEMENTS)
def document_upload(request, pk):
    agreement = _managed(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_document(agreement=agreement, actor=request.user, upload=form.cleaned_data["document"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Signed document stored.")
            return redirect("agreements:detail", pk=agreement.pk)
    return _detail(request, agreement, document_form=form)


@role_required(READ_PEOPLE)
def document_download(request, pk):
    """The signed document, only through this scoped view (never a public media URL)."""
    agreement = get_object_or_404(Agreement.objects.for_user(request.user), pk=pk)
    if not agreement.document:
        raise Http404("No signed document is stored for this agreement.")
    suffix = agreement.document.name.rsplit(".", 1)[-1].lower()
    content_type = services.DOCUMENT_TYPES.get(suffix, ("application/octet-stream",))[0]
    response = FileResponse(agreement.document.open("rb"), as_attachment=True, content_type=content_type,
                            filename=agreement.document_name or f"agreement-{agreement.pk}.{suffix}")
    response["X-Content-Type-Options"] = "nosniff"
    return response
