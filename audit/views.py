"""Thin views of the audit app: audits and findings, audit packets, investigation exports.

The LEDS Representative records audits and findings; the agency-wide roles and the state auditor read them.
Auditors (agency or state) build and download packets but change nothing else (R-AU-1).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import security_log
from common.dates import in_words
from common.forms import add_service_errors, call_service
from common.pdf import pdf_response
from compliance.selectors import agency_today
from people.models import Person
from people.permissions import MANAGE_AUDITS, READ_AGENCY, has_role, role_required

from . import rules, selectors, services
from .forms import AuditForm, CompleteForm, FindingForm, PacketForm, VoidForm
from .models import Audit, AuditPacket, Finding


def _audits(request):
    return Audit.objects.for_user(request.user).in_agency(request.agency)



@role_required(READ_AGENCY)
def audit_list(request):
    today = agency_today(request.agency)
    live = Q(findings__voided_at__isnull=True)
    still_open = live & Q(findings__completed_on__isnull=True)
    audits = _audits(request).annotate(finding_count=Count("findings", filter=live),
                                       open_count=Count("findings", filter=still_open)).order_by("-audited_on", "-pk")
    return render(request, "audit/audit_list.html", {
        "audits": Paginator(audits, 50).get_page(request.GET.get("page")),
        "status": selectors.audit_status(audits=_audits(request), today=today),
        "can_manage": has_role(request, MANAGE_AUDITS), "today": today,
    })


@role_required(MANAGE_AUDITS)
def audit_create(request):
    form = AuditForm(request.POST or None)
    if request.method == "POST":
        ok, audit = call_service(form, services.record_audit, agency=request.agency, actor=request.user)
        if ok:
            messages.success(request, f"Recorded the {audit}.")
            return redirect("audit:detail", pk=audit.pk)
    return render(request, "audit/audit_form.html", {"form": form})


def _row_ids(finding) -> str:
    return f"finding-{finding.pk}-%s"


def _detail(request, audit, **forms):
    today = agency_today(audit.agency)
    findings = list(audit.findings.all())
    for finding in findings:  # one "mark complete" form per open finding, each with its own field ids
        failed = forms.get("complete_form") if forms.get("finding_id") == finding.pk else None
        finding.complete_form = failed or CompleteForm(initial={"completed_on": today}, auto_id=_row_ids(finding))
    context = {
        "audit": audit, "findings": findings,
        "can_manage": has_role(request, MANAGE_AUDITS) and not audit.is_voided,
        "finding_form": forms.get("finding_form") or FindingForm(),
        "failed_complete": forms.get("complete_form"),
        "void_form": forms.get("void_form") or VoidForm(), "today": today,
    }
    return render(request, "audit/audit_detail.html", context, status=400 if forms else 200)


@role_required(READ_AGENCY)
def audit_detail(request, pk):
    return _detail(request, get_object_or_404(Audit.objects.for_user(request.user), pk=pk))


@require_POST
@role_required(MANAGE_AUDITS)
def finding_add(request, pk):
    audit = get_object_or_404(Audit.objects.for_user(request.user), pk=pk)
    form = FindingForm(request.POST)
    ok, _ = call_service(form, services.add_finding, audit=audit, actor=request.user)
    if ok:
        messages.success(request, "Finding recorded.")
        return redirect("audit:detail", pk=audit.pk)
    return _detail(request, audit, finding_form=form)


@require_POST
@role_required(MANAGE_AUDITS)
def finding_complete(request, pk):
    finding = get_object_or_404(Finding.objects.for_user(request.user).select_related("audit"), pk=pk)
    form = CompleteForm(request.POST, auto_id=_row_ids(finding))
    ok, _ = call_service(form, services.complete_corrective_action, finding=finding, actor=request.user)
    if ok:
        messages.success(request, "Corrective action marked complete.")
        return redirect("audit:detail", pk=finding.audit_id)
    return _detail(request, finding.audit, complete_form=form, finding_id=finding.pk)


@require_POST
@role_required(MANAGE_AUDITS)
def audit_void(request, pk):
    audit = get_object_or_404(Audit.objects.for_user(request.user), pk=pk)
    form = VoidForm(request.POST)
    if form.is_valid() and not audit.is_voided:
        services.void_audit(audit=audit, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Voided the {audit}. It stays in the history.")
        return redirect("audit:list")
    return _detail(request, audit, void_form=form)


# --- audit packets: the agency-wide roles and the state auditor build and download (R-AU-1) -------------------

def _packets(request):
    """Every packet the user may read (a state auditor: every agency's); lists narrow to the current agency."""
    return AuditPacket.objects.for_user(request.user).select_related("agency", "requested_by")


@role_required(READ_AGENCY)
def packet_list(request, form=None):
    today = agency_today(request.agency)
    start, end = rules.default_packet_period(last_audited_on=selectors.last_audit_on(agency=request.agency),
                                             today=today)
    form = form or PacketForm(initial={"period_start_on": start, "period_end_on": end})
    packets = Paginator(_packets(request).in_agency(request.agency), 50).get_page(request.GET.get("page"))
    return render(request, "audit/packet_list.html", {"packets": packets, "form": form},
                  status=400 if form.errors else 200)


@require_POST
@role_required(READ_AGENCY)
def packet_build(request):
    form = PacketForm(request.POST)
    if form.is_valid():
        try:
            packet = services.request_packet(agency=request.agency, actor=request.user, request=request,
                                             today=agency_today(request.agency), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Building the audit packet; this page shows its progress.")
            return redirect("audit:packet_detail", pk=packet.pk)
    return packet_list(request, form=form)


@role_required(READ_AGENCY)
def packet_detail(request, pk):
    """The packet with its progress; htmx polls the same partial until it is done or failed."""
    packet = get_object_or_404(_packets(request), pk=pk)
    template = "audit/_packet_progress.html" if request.htmx else "audit/packet_detail.html"
    return render(request, template, {"packet": packet})


@role_required(READ_AGENCY)
def packet_progress(request, pk):
    """Progress as JSON, for scripts and the tests (the page polls the HTML partial)."""
    packet = get_object_or_404(_packets(request), pk=pk)
    return JsonResponse({"status": packet.status, "progress": packet.progress, "step": packet.step,
                         "pages": packet.pages, "sha256": packet.sha256 or None,
                         "download": reverse("audit:packet_download", args=[packet.pk])
                         if packet.status == AuditPacket.Status.DONE else None})


@role_required(READ_AGENCY)
def packet_download(request, pk):
    packet = get_object_or_404(_packets(request), pk=pk)
    if packet.status != AuditPacket.Status.DONE or not packet.file:
        raise Http404("This packet is not ready.")
    # the packet's background section lists every person's check dates and outcomes: a read of them (R-BG-4)
    security_log.record_background_read(
        request=request, agency=packet.agency, view="audit_packet_download",
        what=f"audit packet {packet.pk} (background checks of the agency, "
             f"{in_words(packet.period_start_on)} to {in_words(packet.period_end_on)})",
        action="audit_packet_downloaded", sha256=packet.sha256)
    response = FileResponse(packet.file.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=packet.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Digest"] = f"sha-256={packet.sha256}"
    return response


# --- investigation export: the LEDS Representative only; every export is in the security log -----------------

@require_POST
@role_required(MANAGE_AUDITS)
def investigation_export(request, person_pk):
    person = get_object_or_404(Person.objects.for_user(request.user).select_related("agency", "user"), pk=person_pk)
    pdf = services.export_investigation(person=person, actor=request.user, roles=request.roles, request=request)
    stamp = agency_today(person.agency)
    return pdf_response(pdf, filename=f"investigation-{person.agency.ori}-{person.employee_id}-{stamp:%Y%m%d}.pdf")
