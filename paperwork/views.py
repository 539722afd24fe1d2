"""Certificates and transcripts (issue 21): issue (POST, stores), download and verify (GET, read only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from certification.models import CertificationClass
from common.pdf import pdf_response, render_pdf
from compliance.selectors import agency_today
from people.models import Person
from people.permissions import MANAGE_PEOPLE, role_required
from people.scoping import AGENCY_AUDITOR, LEDS_REPRESENTATIVE, STATE_AUDITOR

from . import selectors, services
from .models import IssuedDocument

READERS = frozenset({LEDS_REPRESENTATIVE, AGENCY_AUDITOR, STATE_AUDITOR})
TEMPLATES = {IssuedDocument.Kind.CERTIFICATE: "pdf/paperwork/certificates.html",
             IssuedDocument.Kind.TRANSCRIPT: "pdf/paperwork/transcript.html"}


def _managed_person(request, pk) -> Person:
    return get_object_or_404(Person.objects.for_user(request.user).in_agency(request.agency), pk=pk)


def _managed_class(request, pk) -> CertificationClass:
    return get_object_or_404(CertificationClass.objects.for_user(request.user).in_agency(request.agency), pk=pk)


@require_POST
@role_required(MANAGE_PEOPLE)
def issue(request, pk, kind):
    person = _managed_person(request, pk)
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
    certification_class = _managed_class(request, pk)
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
