"""The 403, 404 and 500 pages (issue 17): in the app's frame, saying what happened and where to go.

403 and 404 extend base.html like any page. The 500 page needs nothing that may be what broke: no database
(no session, no user, no agency), no context processors — one template rendered with a plain context, and a
fixed HTML string if even that fails (a missing static manifest, a broken template).
"""

from __future__ import annotations

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)

# the reasons people/permissions.py and the views give; anything else gets the general sentence
_GENERAL_403 = "Your role does not allow this page."

FALLBACK_500 = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Something went wrong · LEDS Admin</title></head><body><main><h1>Something went wrong on our side</h1>
<p>LEDS Admin could not finish this request. Nothing you submitted was half-saved: try again in a few minutes.</p>
<p><a href="/">Go to your home page</a>. If it keeps happening, tell your agency's LEDS Representative what you were
doing and when.</p></main></body></html>"""


def permission_denied(request, exception=None):
    reason = str(exception or "").strip() or _GENERAL_403
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", {"path": request.path}, status=404)


def server_error(request):
    try:
        body = loader.get_template("500.html").render({})
    except Exception:  # the page for when things are broken must not break
        logger.exception("The 500 page could not be rendered; answering with the fixed text")
        body = FALLBACK_500
    return HttpResponseServerError(body)
