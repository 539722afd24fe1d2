"""Certificates and transcripts (issue 21): issue (POST, stores), download and verify (GET, read only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from certification.models import CertificationClass
from common.exports import table_response
from common.pdf import pdf_response, render_pdf
from compliance.selectors import agency_today
from people.models import Person
from people.permissions import (
    MANAGE_PEOPLE,
    READ_OSP_REQUESTS,
    READ_PAPERWORK,
    WRITE_OSP_REQUESTS,
    has_role,
    role_required,
)
from people.scoping import get_managed_or_404

from . import selectors, services
from .forms import OspAnswerForm
from .models import AccountRequest, IssuedDocument, RequestBatch

READERS = READ_PAPERWORK
TEMPLATES = {IssuedDocument.Kind.CERTIFICATE: "pdf/paperwork/certificates.html",
             IssuedDocument.Kind.TRANSCRIPT: "pdf/paperwork/transcript.html"}


@require_POST
@role_required(MANAGE_PEOPLE)
def issue(request, pk, kind):
    person = get_managed_or_404(Person, request, pk=pk)
    if kind not in IssuedDocument.Kind.values:
        raise Http404("No such document.")
    today = agency_today(person.agency)
    try:
        if kind == IssuedDocument.Kind.CERTIFICATE:
            document = services.issue_certificate(person=person, actor=request.user, today=today)
        else:
            document = services.issue_transcript(person=person, actor=request.user, today=today)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{document.get_kind_display()} issued, verification code {document.code}.")
    return redirect(reverse("people:detail", args=[person.pk]) + "#documents")


@role_required(READERS)
def download(request, pk):
    document = get_object_or_404(IssuedDocument.objects.for_user(request.user).select_related("person"), pk=pk)
    content = render_pdf(TEMPLATES[document.kind], {"documents": [document], "document": document})
    return pdf_response(content, filename=f"leds-{document.kind}-{document.person.employee_id}-{document.code}.pdf")


@role_required(READERS)
def verify(request):
    code = request.GET.get("code", "").strip()
    document = selectors.find_document(user=request.user, code=code) if code else None
    return render(request, "paperwork/verify.html", {"code": code, "document": document})


@require_POST
@role_required(MANAGE_PEOPLE)
def class_issue(request, pk):
    certification_class = get_managed_or_404(CertificationClass, request, pk=pk)
    issued, refused = services.issue_class_certificates(
        certification_class=certification_class, actor=request.user, today=agency_today(certification_class.agency))
    if issued:
        messages.success(request, f"{len(issued)} certificate{'s' if len(issued) != 1 else ''} issued.")
    for reason in refused:
        messages.warning(request, reason)
    if not issued and not refused:
        messages.info(request, "Nobody on the roster has passed: no certificate to issue.")
    return redirect(reverse("certification:class_detail", args=[certification_class.pk]) + "#certificates")


@role_required(READERS)
def class_download(request, pk):
    certification_class = get_object_or_404(CertificationClass.objects.for_user(request.user), pk=pk)
    documents = selectors.class_certificates(user=request.user, certification_class=certification_class)
    if not documents:
        raise Http404("No certificate has been issued for this class.")
    content = render_pdf("pdf/paperwork/certificates.html", {"documents": documents})
    return pdf_response(content, filename=f"leds-class-{certification_class.held_on:%Y-%m-%d}-certificates.pdf")


# Account requests to OSP ---------------------------------------------------------------------------------

REQUEST_WRITERS = WRITE_OSP_REQUESTS
REQUEST_READERS_ROLES = READ_OSP_REQUESTS


@role_required(REQUEST_READERS_ROLES)
def osp_requests(request):
    """The ageing view: terminations late under R-AC-2 first, then not yet sent, then unanswered."""
    agency = request.agency
    today = agency_today(agency)
    late, waiting, days = selectors.unanswered_requests(user=request.user, agency=agency, today=today)
    return render(request, "paperwork/osp_requests.html", {
        "terminations": selectors.open_terminations(user=request.user, agency=agency, now=timezone.now()),
        "pending": selectors.pending_requests(user=request.user, agency=agency),
        "late": late, "waiting": waiting, "days": days, "today": today,
        "batches": selectors.batches(user=request.user, agency=agency)[:50],
        "can_write": has_role(request, REQUEST_WRITERS),
        "selected": request.session.pop("osp_selected", None) or [],
    })


@require_POST
@role_required(REQUEST_WRITERS)
def osp_batch_create(request):
    tokens = request.POST.getlist("request")
    try:
        batch = services.produce_request_batch(agency=request.agency, tokens=tokens, actor=request.user,
                                               today=agency_today(request.agency))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        request.session["osp_selected"] = tokens  # what was ticked stays ticked
        return redirect("paperwork:osp_requests")
    messages.success(request, f"Batch {batch.number} is marked sent to OSP: download its letters and CSV below.")
    return redirect("paperwork:osp_batch", pk=batch.pk)


def _batch_or_404(request, pk) -> RequestBatch:
    return get_object_or_404(RequestBatch.objects.for_user(request.user), pk=pk)


@role_required(REQUEST_READERS_ROLES)
def osp_batch(request, pk):
    batch = _batch_or_404(request, pk)
    today = agency_today(batch.agency)
    lines = [(line, OspAnswerForm(prefix=f"line{line.pk}", initial={"answered_on": today}))
             for line in batch.requests.select_related("account", "answered_by")]
    return render(request, "paperwork/osp_batch.html", {
        "batch": batch, "lines": lines, "can_write": has_role(request, REQUEST_WRITERS)})


@role_required(REQUEST_READERS_ROLES)
def osp_batch_pdf(request, pk):
    batch = _batch_or_404(request, pk)
    by_system: dict[str, list] = {}
    for line in batch.requests.all():
        by_system.setdefault(line.system_name, []).append(line)
    content = render_pdf("pdf/paperwork/osp_batch.html", {"batch": batch, "systems": sorted(by_system.items())})
    return pdf_response(content, filename=f"osp-requests-{batch.number}.pdf")


@role_required(REQUEST_READERS_ROLES)
def osp_batch_export(request, pk):
    batch = _batch_or_404(request, pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    headers = ["batch", "sent_on", "system", "action", "last_first_name", "employee_id", "position", "username",
               "certification_level", "osp_answer", "answered_on", "rejection_reason"]
    rows = ([batch.number, batch.sent_on.isoformat(), line.system_name, line.action, line.person_name,
             line.employee_id, line.position, line.username, line.certification_level, line.outcome,
             line.answered_on.isoformat() if line.answered_on else "", line.rejection_reason]
            for line in batch.requests.all())
    return table_response(filename=f"osp-requests-{batch.number}", fmt=fmt, headers=headers, rows=rows)


@require_POST
@role_required(REQUEST_WRITERS)
def osp_answer(request, pk):
    line = get_managed_or_404(AccountRequest.objects.select_related("batch", "account__person__agency"), request,
                              pk=pk)
    form = OspAnswerForm(request.POST, prefix=f"line{line.pk}")
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errors)}"
                             for name, errors in form.errors.items())
        messages.error(request, f"{line.person_name}, {line.system_name}: {problems}")
        return redirect("paperwork:osp_batch", pk=line.batch_id)
    try:
        services.record_osp_answer(account=line.account, action=line.action, outcome=form.cleaned_data["outcome"],
                                   answered_on=form.cleaned_data["answered_on"], reason=form.cleaned_data["reason"],
                                   actor=request.user)
    except ValidationError as error:
        messages.error(request, f"{line.person_name}, {line.system_name}: {' '.join(error.messages)}")
    else:
        messages.success(request, f"OSP's answer for {line.person_name} ({line.system_name}) is recorded.")
    return redirect("paperwork:osp_batch", pk=line.batch_id)
