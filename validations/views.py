"""Thin views of validations: resolve the scoped object, bind a form, call one service or selector, render.

Who does what (R-VA-3, R-VA-4): the LEDS Representative does everything; a validator (anyone with a sign-in
who is assigned entries) works their own worklist; the LASO and auditors read; others see nothing of it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from common.dates import in_words
from common.forms import add_service_errors, call_service, error_text
from common.imports import ImportFlow, confirm_view, upload_view
from common.pdf import pdf_response, render_pdf
from compliance.selectors import agency_today
from people.models import Person
from people.permissions import ANY_ROLE, MANAGE_VALIDATIONS, READ_VALIDATIONS, has_role, may_work_entry, role_required

from . import selectors, services
from .forms import (
    AmendmentForm,
    AssignForm,
    CertifyForm,
    ContactForm,
    ListUploadForm,
    ProcedureForm,
    ProcedureVoidForm,
    RegisteredEntryForm,
    ValidationForm,
    VoidForm,
)
from .importers import OPTIONAL, REQUIRED, apply_validation_list, plan_validation_list
from .models import ContactLog, ProcedureDocument, RegisteredEntry, ValidationCycle, ValidationEntry

MANAGE = MANAGE_VALIDATIONS  # the LEDS Representative
READ = READ_VALIDATIONS  # LEDS Representative, LASO, agency auditor, state auditor
PAGE_SIZE = 50


def _cycles(request):
    """Cycles this user may read (any agency they may see: a state auditor reads every agency's)."""
    return ValidationCycle.objects.for_user(request.user)


def _entries(request):
    """The entries this user may open: readers the agency's; everyone else only those assigned to them."""
    entries = ValidationEntry.objects.for_user(request.user)
    if has_role(request, READ):
        return entries
    return entries.filter(validator_id=request.access.person_id) if request.access.person_id else entries.none()


# --- cycles ------------------------------------------------------------------------------------------------

@role_required(READ)
def cycle_list(request):
    today = agency_today(request.agency)
    cycles = selectors.with_progress(_cycles(request).in_agency(request.agency)).order_by("-received_on", "-pk")
    page = Paginator(cycles, 24).get_page(request.GET.get("page"))
    states = [selectors.cycle_state(c, today=today) for c in page.object_list]
    return render(request, "validations/cycle_list.html", {"page": page, "states": states, "today": today,
                                                          "can_manage": has_role(request, MANAGE)})


def _cycle_context(request, cycle_pk: int, form=None):
    cycle = get_object_or_404(selectors.with_progress(_cycles(request)).select_related("agency", "certified_by"),
                              pk=cycle_pk)
    today = agency_today(cycle.agency)
    state = selectors.cycle_state(cycle, today=today)
    show = request.GET.get("show", "")
    rows = selectors.worklist(entries=_entries(request), cycle=cycle, open_only=show == "open")
    if show == "unassigned":
        rows = rows.filter(validator__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = has_role(request, MANAGE) and not cycle.is_certified
    if can_manage and form is None:
        form = _assign_form(request, cycle, today, entry_ids=[e.pk for e in page.object_list])
    return {"cycle": cycle, "state": state, "page": page, "show": show, "today": today, "form": form,
            "can_manage": can_manage, "can_certify": has_role(request, MANAGE) and state.can_certify,
            "amendments": cycle.amendments.select_related("amended_by", "entry")}


def _assign_form(request, cycle, today, data=None, entry_ids=()):
    people = Person.objects.for_user(request.user).in_agency(cycle.agency)
    if data is None:  # offered: the certified staff, as stored (a page never recomputes, issue 23)
        validators = selectors.certified_validators(people=people, agency=cycle.agency, today=today)
    else:  # posted: any of the agency's staff; the service decides certification now (R-VA-4, may_validate)
        validators = people.filter(status=Person.Status.ACTIVE)
    # order_by: without it the entries' default ordering (line) joins the DISTINCT and every entry comes back —
    # a 20,000-entry list rendered 20,000 options (issue 23)
    mkes = list(cycle.entries.order_by("mke").values_list("mke", flat=True).distinct())
    return AssignForm(data, validators=validators, mkes=mkes, entry_ids=entry_ids)


@role_required(READ)
def cycle_detail(request, pk):
    context = _cycle_context(request, pk)
    template = "validations/_cycle_entries.html" if request.htmx else "validations/cycle_detail.html"
    return render(request, template, context)


@require_POST
@role_required(MANAGE)
def assign(request, pk):
    cycle = get_object_or_404(_cycles(request).select_related("agency"), pk=pk)
    today = agency_today(cycle.agency)
    posted = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
    form = _assign_form(request, cycle, today, data=request.POST,
                        entry_ids=list(cycle.entries.filter(pk__in=posted).values_list("pk", flat=True)))
    if not form.is_valid():
        context = _cycle_context(request, pk, form=form)
        return render(request, "validations/cycle_detail.html", context, status=400)
    data = form.cleaned_data
    if data["scope"] == AssignForm.UNASSIGNED:
        open_entries = cycle.entries.filter(validator__isnull=True, outcome="").order_by("line")
        if data["mke"]:
            open_entries = open_entries.filter(mke=data["mke"])
        ids = list(open_entries.values_list("pk", flat=True)[: data["limit"] or None])
    else:
        ids = data["entries"]
    try:
        count = services.assign_entries(cycle_id=cycle.pk, entry_ids=ids, validator=data["validator"],
                                        actor=request.user, today=today)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Assigned {count} entr{'y' if count == 1 else 'ies'} to {data['validator']}"
                                  + ("; they are e-mailed." if count else "."))
    return redirect("validations:cycle", pk=cycle.pk)


@role_required(MANAGE)
def certify(request, pk):
    cycle = get_object_or_404(selectors.with_progress(_cycles(request)).select_related("agency"), pk=pk)
    today = agency_today(cycle.agency)
    state = selectors.cycle_state(cycle, today=today)
    if cycle.is_certified:
        messages.info(request, "This list is already certified.")
        return redirect("validations:cycle", pk=cycle.pk)
    form = CertifyForm(request.POST or None, initial={"signed_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.certify_cycle(cycle_id=cycle.pk, name=form.cleaned_data["name"],
                                   title=form.cleaned_data["title"], signed_on=form.cleaned_data["signed_on"],
                                   actor=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, "The list is certified. Download the signed certification and return it to "
                                      "the state.")
            return redirect("validations:cycle", pk=cycle.pk)
    return render(request, "validations/certify.html", {"cycle": cycle, "state": state, "form": form})


@role_required(READ)
def certification_pdf(request, pk):
    cycle = get_object_or_404(_cycles(request).select_related("agency", "certified_by"), pk=pk)
    if not cycle.is_certified:
        raise Http404("The list is not certified yet.")
    entries = cycle.entries.select_related("record_type")
    context = {
        "cycle": cycle, "agency": cycle.agency,
        "by_outcome": selectors.outcome_counts(entries=entries),
        "exceptions": entries.exclude(outcome=ValidationEntry.Outcome.VALIDATED).select_related("validator"),
        "total": entries.count(),
        "amendments": cycle.amendments.select_related("amended_by", "entry"),
    }
    content = render_pdf("pdf/validations/certification.html", context)
    return pdf_response(content, filename=f"validation-certification-{cycle.agency.ori}-{cycle.received_on}.pdf")


# --- the import (upload → preview → confirm) --------------------------------------------------------------

def _apply_list(request, plan, filename, options):
    request.imported_cycle = apply_validation_list(plan=plan, actor=request.user, filename=filename)
    return reverse("validations:cycle", args=[request.imported_cycle.pk])  # where a worker's import goes, too


LIST_IMPORT = ImportFlow(
    kind="validation_list", title="Import a validation list", required=REQUIRED, optional=OPTIONAL,
    upload_template="validations/import_upload.html", preview_template="validations/import_preview.html",
    file_label="Validation list file",
    upload_url="validations:import", confirm_url="validations:import_confirm", done_url="validations:cycles",
    plan=lambda request, data, filename, options: plan_validation_list(
        agency=request.agency, received_on=options["received_on"], data=data, filename=filename),
    apply=_apply_list,
    options_form=lambda request, data: ListUploadForm(data),
    upload_context=lambda request: {"required": [c.upper() for c in REQUIRED],
                                    "optional": [c.upper() for c in OPTIONAL]},
)


@role_required(MANAGE)
def list_import(request):
    """Upload the state's list (its columns matched to ours when they differ); the preview writes nothing."""
    return upload_view(request, LIST_IMPORT)


@require_POST
@role_required(MANAGE)
def list_import_confirm(request):
    response = confirm_view(request, LIST_IMPORT,
                            success=lambda plan, filename: f"Validation list imported from {filename}: "
                                                           f"{plan.summary()}.")
    cycle = getattr(request, "imported_cycle", None)
    return redirect("validations:cycle", pk=cycle.pk) if cycle is not None else response


# --- worklists and entries ---------------------------------------------------------------------------------

@role_required(ANY_ROLE)
def worklist(request):
    """The signed-in person's own entries (R-VA-4), a fixed number of queries per page."""
    person_id = request.access.person_id
    entries = ValidationEntry.objects.for_user(request.user)
    rows = selectors.worklist(entries=entries.filter(validator_id=person_id) if person_id else entries.none(),
                              open_only=request.GET.get("show") != "all")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "show": request.GET.get("show", ""), "today": agency_today(request.agency)}
    template = "validations/_worklist_table.html" if request.htmx else "validations/worklist.html"
    return render(request, template, context)


def _entry_context(request, entry, *, form=None, contact_form=None):
    today = agency_today(entry.cycle.agency)
    editable = may_work_entry(request, entry) and not entry.cycle.is_certified
    contacts = list(entry.contacts.all())
    for contact in contacts:  # each row's "void" form, with its own field id
        contact.void_form = VoidForm(auto_id=f"contact-{contact.pk}-%s")
    return {
        "entry": entry, "cycle": entry.cycle, "editable": editable,
        "form": form or ValidationForm.for_entry(entry, today=today),
        "contact_form": contact_form or ContactForm(initial={"contacted_on": today}),
        "can_amend": has_role(request, MANAGE) and entry.cycle.is_certified,
        "contacts": contacts,
    }


@role_required(ANY_ROLE)
def entry_detail(request, pk):
    """The entry form: review against the case file, contacts, outcome (R-VA-4)."""
    try:
        entry = selectors.entry_detail(entries=_entries(request), pk=pk)
    except ValidationEntry.DoesNotExist:
        raise Http404("No such entry.") from None
    form = None
    if request.method == "POST":
        if not may_work_entry(request, entry):
            raise PermissionDenied("Only the assigned validator or the LEDS Representative records a validation.")
        form = ValidationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_validation(entry_id=entry.pk, is_reviewed=data["is_reviewed_against_case_file"],
                                           outcome=data["outcome"], outcome_detail=data["outcome_detail"],
                                           outcome_on=data["outcome_on"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Saved {entry.nic}.")
                if entry.validator_id and entry.validator_id == request.access.person_id:
                    return redirect("validations:worklist")
                return redirect("validations:cycle", pk=entry.cycle_id)
        entry = selectors.entry_detail(entries=_entries(request), pk=pk)
    status = 400 if form is not None and form.errors else 200
    return render(request, "validations/entry_detail.html", _entry_context(request, entry, form=form), status=status)



@require_POST
@role_required(ANY_ROLE)
def contact_add(request, pk):
    entry = get_object_or_404(_entries(request).select_related("cycle"), pk=pk)
    if not may_work_entry(request, entry):
        raise PermissionDenied("Only the assigned validator or the LEDS Representative logs contacts.")
    form = ContactForm(request.POST)
    ok, _ = call_service(form, services.add_contact, entry_id=entry.pk, actor=request.user)
    if ok:
        messages.success(request, "Contact logged.")
        return redirect("validations:entry", pk=entry.pk)
    entry = selectors.entry_detail(entries=_entries(request), pk=pk)
    return render(request, "validations/entry_detail.html", _entry_context(request, entry, contact_form=form),
                  status=400)


@require_POST
@role_required(ANY_ROLE)
def contact_void(request, pk):
    contact = get_object_or_404(
        ContactLog.objects.for_user(request.user).filter(entry__in=_entries(request)).select_related("entry"), pk=pk)
    if not may_work_entry(request, contact.entry):
        raise PermissionDenied("Only the assigned validator or the LEDS Representative voids a contact entry.")
    form = VoidForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Say why the contact entry is voided.")
        services.void_contact(contact_id=contact.pk, reason=form.cleaned_data["reason"], actor=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Contact entry voided; it stays in the history.")
    return redirect("validations:entry", pk=contact.entry_id)


@role_required(MANAGE)
def amend(request, pk):
    """R-VA-3: a correction to an entry of a certified list, logged as an amendment."""
    entry = get_object_or_404(_entries(request).select_related("cycle__agency", "record_type"), pk=pk)
    if not entry.cycle.is_certified:
        messages.info(request, "The list is not certified yet: change the entry itself.")
        return redirect("validations:entry", pk=entry.pk)
    today = agency_today(entry.cycle.agency)
    form = AmendmentForm(request.POST or None, initial={"outcome": entry.outcome, "outcome_on": today,
                                                        "outcome_detail": entry.outcome_detail})
    if request.method == "POST":
        ok, _ = call_service(form, services.amend_entry, entry_id=entry.pk, actor=request.user, amended_on=today)
        if ok:
            messages.success(request, f"Amendment of {entry.nic} logged.")
            return redirect("validations:cycle", pk=entry.cycle_id)
    return render(request, "validations/amend.html", {"entry": entry, "form": form},
                  status=400 if form.errors else 200)


# --- the register and the procedure ------------------------------------------------------------------------

@role_required(READ)
def register(request):
    """The agency's own register with each entry's next due date (R-VA-2)."""
    today = agency_today(request.agency)
    rows = RegisteredEntry.objects.for_user(request.user).in_agency(request.agency).select_related("record_type")
    query = request.GET.get("q", "").strip().upper()
    if query:
        rows = rows.filter(nic__startswith=query)
    if request.GET.get("show") == "due":
        rows = rows.filter(cancelled_on__isnull=True, next_due_on__lte=today + selectors.REGISTER_HORIZON)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.register_rows(page.object_list, rules_table=selectors.validation_rules(), today=today)
    context = {"page": page, "today": today, "query": query, "show": request.GET.get("show", "")}
    template = "validations/_register_table.html" if request.htmx else "validations/register.html"
    return render(request, template, context)


@role_required(MANAGE)
def register_add(request):
    """R-VA-2: the LEDS Representative puts a newly entered record on the register."""
    form = RegisteredEntryForm(request.POST or None, initial={"ori": request.agency.ori})
    form.instance.agency = request.agency  # the unique NIC per agency is checked by the form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.register_entry(agency=request.agency, actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{entry.nic} is on the register; first validation due "
                                      f"{in_words(entry.next_due_on)}.")
            return redirect("validations:register")
    return render(request, "validations/register_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(READ)
def procedure(request):
    today = agency_today(request.agency)
    documents = ProcedureDocument.objects.for_user(request.user).in_agency(request.agency).select_related(
        "uploaded_by", "voided_by")
    form = None
    if has_role(request, MANAGE):
        form = ProcedureForm(request.POST or None, request.FILES or None, initial={"effective_on": today})
        if request.method == "POST" and form.is_valid():
            try:
                document = services.upload_procedure(agency=request.agency, actor=request.user,
                                                     upload=form.cleaned_data["document"],
                                                     title=form.cleaned_data["title"],
                                                     version=form.cleaned_data["version"],
                                                     effective_on=form.cleaned_data["effective_on"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Kept on file: {document}.")
                return redirect("validations:procedure")
    elif request.method == "POST":
        raise PermissionDenied("Only the LEDS Representative uploads the procedure.")
    current = selectors.current_procedure(agency=request.agency, on=today)
    return render(request, "validations/procedure.html",
                  {"documents": documents, "current": current, "form": form,
                   "can_void": has_role(request, MANAGE)},
                  status=400 if form is not None and form.errors else 200)


@role_required(MANAGE)
def procedure_void(request, pk):
    """Void a version kept on file by mistake, after a confirmation page that asks why (never a deletion)."""
    document = get_object_or_404(
        ProcedureDocument.objects.for_user(request.user).in_agency(request.agency).select_related("uploaded_by"),
        pk=pk)
    if document.is_voided:
        messages.info(request, f"Version {document.version} is already voided.")
        return redirect("validations:procedure")
    form = ProcedureVoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_procedure(procedure_id=document.pk, reason=form.cleaned_data["reason"],
                                    actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {document.version} is voided; it stays in the list and the history.")
            return redirect("validations:procedure")
    today = agency_today(request.agency)
    current = selectors.current_procedure(agency=request.agency, on=today)
    return render(request, "validations/procedure_void.html",
                  {"document": document, "form": form, "is_current": current is not None and current.pk == document.pk},
                  status=400 if form.errors else 200)


@role_required(READ)
def procedure_download(request, pk):
    """Uploaded files are served only here, to the agency's readers (never from a public media URL)."""
    document = get_object_or_404(ProcedureDocument.objects.for_user(request.user), pk=pk)
    try:
        handle = document.document.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing from storage.") from None
    return FileResponse(handle, as_attachment=True, filename=document.original_filename,
                        content_type=document.content_type)
