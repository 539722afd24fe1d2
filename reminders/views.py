"""The LEDS Representative's list of people the reminders cannot reach (issue 9)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from people.permissions import MANAGE_OUTBOX, role_required

from . import selectors


@role_required(MANAGE_OUTBOX)
def unreachable(request):
    missing, failed = selectors.unreachable(user=request.user, agency=request.agency)
    context = {"page": Paginator(missing, 50).get_page(request.GET.get("page")),
               "failed": failed[:50], "failed_count": failed.count()}
    return render(request, "reminders/unreachable.html", context)
