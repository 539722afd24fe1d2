"""The LEDS Representative's list of people the reminders cannot reach (issue 9)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from people.permissions import role_required
from people.scoping import LEDS_REPRESENTATIVE

from . import selectors


@role_required(LEDS_REPRESENTATIVE)
def unreachable(request):
    missing, failed = selectors.unreachable(user=request.user, agency=request.agency)
    context = {"page": Paginator(missing, 50).get_page(request.GET.get("page")),
               "failed": failed[:50], "failed_count": failed.count()}
    return render(request, "reminders/unreachable.html", context)
