"""Outbox pages: the LEDS Representative (and administrators) see every e-mail, resend one, or resend every
failed one after a confirmation (issues 9, 18).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from people.permissions import MANAGE_OUTBOX, role_required

from . import selectors, services
from .models import OutboxMessage


@role_required(MANAGE_OUTBOX)
def outbox(request):
    filters = {k: request.GET.get(k, "") for k in ("status", "obligation", "person")}
    rows = selectors.outbox(user=request.user, agency=request.agency, **filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "statuses": OutboxMessage.Status.choices, **filters,
               "failed_count": selectors.failed_emails(user=request.user, agency=request.agency).count(),
               "undelivered_minutes": selectors.undelivered_minutes(agency=request.agency)}
    template = "notifications/_outbox_table.html" if request.htmx else "notifications/outbox.html"
    return render(request, template, context)


@require_POST
@role_required(MANAGE_OUTBOX)
def resend(request, pk):
    message = get_object_or_404(OutboxMessage.objects.for_user(request.user), pk=pk)
    services.resend(message=message, actor=request.user)
    messages.success(request, f"“{message.subject}” to {', '.join(message.to)} is queued again.")
    return redirect("notifications:outbox")


@require_http_methods(["GET", "POST"])
@role_required(MANAGE_OUTBOX)
def resend_failed(request):
    """GET: what would be resent, and a confirmation; POST: queue every failed e-mail of the agency again."""
    if request.method == "POST":
        count = services.resend_failed(agency=request.agency, actor=request.user)
        if count:
            messages.success(request, f"{count} failed e-mail{'s' if count != 1 else ''} queued again.")
        else:
            messages.info(request, "No e-mail had failed; nothing was resent.")
        return redirect("notifications:outbox")
    failed = selectors.failed_emails(user=request.user, agency=request.agency).select_related("person")
    return render(request, "notifications/resend_failed.html",
                  {"failed_count": failed.count(), "examples": failed[:20]})
