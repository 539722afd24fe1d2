"""The one import flow in the browser: upload → preview → confirm (DESIGN.md "Imports").

Every web import (roster, certification records, validation list, account activity) is an ``ImportFlow``
parametrised by its importer's ``plan`` and ``apply`` and its two templates; its views are two one-liners::

    ROSTER = ImportFlow(upload_url="people:import", upload_template="people/import_upload.html",
                        preview_template="people/import_preview.html",
                        plan=lambda request, data, filename: plan_roster(agency=request.agency, data=data,
                                                                         filename=filename),
                        apply=lambda request, plan, filename: apply_roster(plan=plan, actor=request.user,
                                                                           filename=filename),
                        done=lambda request, result: redirect("people:roster"),
                        done_message="Roster imported from {filename}: {summary}.")

    @role_required(MANAGE_PEOPLE)
    def roster_import(request):
        return ROSTER.upload(request)

    @require_POST
    @role_required(MANAGE_PEOPLE)
    def roster_import_confirm(request):
        return ROSTER.confirm(request)

* ``upload`` (GET: the page; POST: the file) checks the file (``common.tabular.check_upload``), binds the
  ``options`` form if there is one (a date, a system: what the importer needs besides the file), and calls
  ``plan(request, data, filename, **options)``. Nothing is written: the preview shows every error, or what would
  change; a clean file is kept server-side under a token (``keep_upload``) for the confirm step.
* ``confirm`` (POST) reloads the kept file, binds ``options`` again from the preview's hidden fields, plans again
  (the agency may have changed since the preview: then the preview comes back, with no token), calls
  ``apply(request, plan, filename)``, discards the kept file and returns ``done(request, result)``.
* The preview template gets ``plan``, ``token``, ``filename`` and the options' cleaned values by name; the upload
  template gets ``context(request)``, ``form`` (the options form) and ``file_error``.

A ``plan`` has ``ok`` and ``summary()`` (``common.tabular``'s plans do). A ``plan`` callable may raise
``TabularError`` for a file it cannot read; the user sees its message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .tabular import TabularError, check_upload, discard_upload, keep_upload, load_upload


def _no_context(request: HttpRequest) -> dict:
    return {}


@dataclass(frozen=True)
class ImportFlow:
    upload_url: str  # the upload page's URL name: where an expired or unreadable confirm goes back to
    upload_template: str
    preview_template: str
    plan: Callable[..., Any]  # plan(request, data, filename, **options) -> a plan with ok and summary()
    apply: Callable[..., Any]  # apply(request, plan, filename) -> what done() needs (e.g. the new cycle)
    done: Callable[[HttpRequest, Any], HttpResponse]  # the response after a confirmed import
    done_message: str = "Imported from {filename}: {summary}."
    context: Callable[[HttpRequest], dict] = _no_context  # the upload page's own context (the columns, ...)
    options: Callable[..., forms.Form] | None = None  # options(request, data) -> an unbound/bound form
    options_lost: str = "The upload has expired. Upload the file again."

    def _options(self, request: HttpRequest, data) -> forms.Form | None:
        return self.options(request, data) if self.options else None

    def _preview(self, request: HttpRequest, plan, *, token: str, filename: str, options: dict) -> HttpResponse:
        return render(request, self.preview_template,
                      {"plan": plan, "token": token, "filename": filename, **options})

    def upload(self, request: HttpRequest) -> HttpResponse:
        """The upload page, and the preview of a posted file (nothing written)."""
        form = self._options(request, request.POST if request.method == "POST" else None)
        context = {**self.context(request), "form": form}
        if request.method != "POST":
            return render(request, self.upload_template, context)
        upload = request.FILES.get("file")
        try:
            check_upload(upload)
        except TabularError as error:
            return render(request, self.upload_template, {**context, "file_error": str(error)})
        if form is not None and not form.is_valid():
            return render(request, self.upload_template, context)
        options = form.cleaned_data if form is not None else {}
        data = upload.read()
        try:
            plan = self.plan(request, data, upload.name, **options)
        except TabularError as error:
            return render(request, self.upload_template, {**context, "file_error": str(error)})
        token = keep_upload(data, upload.name, user=request.user, agency=request.agency) if plan.ok else ""
        return self._preview(request, plan, token=token, filename=upload.name, options=options)

    def confirm(self, request: HttpRequest) -> HttpResponse:
        """Write what the preview showed, if the file still plans clean; else show the preview again."""
        token = request.POST.get("token", "")
        form = self._options(request, request.POST)
        if form is not None and not form.is_valid():
            messages.error(request, self.options_lost)
            return redirect(self.upload_url)
        options = form.cleaned_data if form is not None else {}
        try:
            data, filename = load_upload(token, user=request.user, agency=request.agency)
            plan = self.plan(request, data, filename, **options)
        except TabularError as error:
            messages.error(request, str(error))
            return redirect(self.upload_url)
        if not plan.ok:  # the agency's records changed since the preview
            return self._preview(request, plan, token="", filename=filename, options=options)
        result = self.apply(request, plan, filename)
        discard_upload(token)
        messages.success(request, self.done_message.format(filename=filename, summary=plan.summary()))
        return self.done(request, result)
