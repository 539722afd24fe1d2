"""The one import flow in the browser (DESIGN.md "Imports"): upload → map columns (when needed) → preview → confirm.

An import declares an ``ImportFlow`` (its columns, templates, URL names and two callables, ``plan`` and ``apply``,
the same ones its management command calls) and its two views call ``upload_view`` and ``confirm_view``. The flow:

1. **Upload** (POST ``file``, plus the import's own options form, e.g. a state system): the file is checked and kept
   (``common.tabular.keep_upload``) for this user and agency.
2. **Map columns** (issue 21): when the file's header lacks one of our required columns, the agency's saved mapping
   for this import is applied; if that does not make it readable either, the mapping page shows every column of
   the file with its first values and lets the user say which of ours it is (or ignore it), give a column the file
   lacks one value for every row, and save the mapping for next month. The page is the upload URL with
   ``?token=…&step=map`` (no URL of its own: it is the same permission). "Map the columns differently" on the
   preview opens it for any file.
3. **Preview**: the plan with its errors (``line N, column NAME: reason``) or what would change; nothing written.
4. **Confirm** (POST ``token``): the kept file is planned again (the agency may have changed since) and applied.

Saved mappings live with the agency (``people.ColumnMapping``); ``people`` hands the flow a ``MappingStore`` at
start-up, so this module imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from .tabular import (
    TabularError,
    check_upload,
    discard_upload,
    fold_header,
    keep_upload,
    load_upload,
    remap,
    sample,
)


class MappingStore(Protocol):
    def load(self, *, agency, kind: str, name: str = "default") -> tuple[dict, dict] | None: ...

    def save(self, *, agency, kind: str, name: str, columns: dict, constants: dict, actor) -> None: ...


_store: MappingStore | None = None


def set_mapping_store(store: MappingStore) -> None:
    """Called once at start-up by the app that keeps the agencies' saved mappings (people)."""
    global _store
    _store = store


@dataclass(frozen=True)
class ImportFlow:
    kind: str  # the import's name for saved mappings and commands' --mapping (people.ColumnMapping.kind)
    title: str  # "Import the roster"
    required: Sequence[str]
    optional: Sequence[str]
    upload_template: str
    preview_template: str
    upload_url: str  # URL names
    confirm_url: str
    done_url: str
    plan: Callable  # plan(request, data, filename, options) -> a plan with ok, errors, warnings, summary()
    apply: Callable  # apply(request, plan, filename, options) -> None
    # the import's own inputs on the upload page (a state system, the day a list arrived): options_form(request, data)
    # returns a form, bound to ``data`` (None: unbound); its cleaned values reach plan() and apply() as ``options``
    options_form: Callable | None = None
    upload_context: Callable = field(default=lambda request: {})  # extra context for the upload page

    @property
    def columns(self) -> list[str]:
        return [*self.required, *[c for c in self.optional if c not in self.required]]


def _jsonable(options: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, date) else getattr(value, "pk", value)
            for key, value in options.items()}


def _session_key(token: str) -> str:
    return f"import:{token}"


def _remember(request, token: str, *, options: dict, original: str = "", mapping: str = "") -> None:
    request.session[_session_key(token)] = {"options": _jsonable(options), "original": original or token,
                                            "mapping": mapping}


def _recall(request, token: str) -> dict:
    return request.session.get(_session_key(token)) or {"options": {}, "original": token, "mapping": ""}


def _options(flow: ImportFlow, request, data) -> tuple[forms.Form | None, dict | None]:
    if flow.options_form is None:
        return None, {}
    form = flow.options_form(request, data)
    return form, (form.cleaned_data if form.is_bound and form.is_valid() else None)


def _bind_options(flow: ImportFlow, request, saved: dict) -> dict:
    """The options kept with an upload, cleaned again by the import's own form (a stale choice is refused)."""
    form, options = _options(flow, request, saved)
    if form is not None and options is None:
        raise TabularError("The choices made with this upload are no longer valid. Upload the file again.")
    return options


def _lacks_required(flow: ImportFlow, data: bytes, filename: str) -> bool:
    header, _rows = sample(data, filename, rows=0)
    folded = {fold_header(h) for h in header}
    return any(column not in folded for column in flow.required)


def _upload_page(request, flow: ImportFlow, *, options_form=None, file_error: str = ""):
    context = {"flow": flow, "required": flow.required, "optional": flow.optional, "form": options_form,
               "file_error": file_error, **flow.upload_context(request)}
    return render(request, flow.upload_template, context)


def _preview(request, flow: ImportFlow, *, data: bytes, filename: str, options: dict, original: str,
             mapping: str = ""):
    plan = flow.plan(request, data, filename, options)
    token = keep_upload(data, filename, user=request.user, agency=request.agency) if plan.ok else ""
    if token:
        _remember(request, token, options=options, original=original, mapping=mapping)
    remap_url = f"{reverse(flow.upload_url)}?token={original}&step=map" if original else ""
    return render(request, flow.preview_template, {
        **options, "flow": flow, "plan": plan, "token": token, "filename": filename, "mapping_used": mapping,
        "remap_url": remap_url})


def upload_view(request, flow: ImportFlow):
    """Upload (POST file), the mapping page (?step=map), or the mapping's submission (POST step=map)."""
    if request.method == "GET" and request.GET.get("step") == "map":
        return mapping_view(request, flow, token=request.GET.get("token", ""))
    if request.method == "POST" and request.POST.get("step") == "map":
        return mapping_view(request, flow, token=request.POST.get("token", ""))
    if request.method != "POST":
        form, _ = _options(flow, request, None) if flow.options_form else (None, None)
        return _upload_page(request, flow, options_form=form)
    options_form, options = _options(flow, request, request.POST)
    if options_form is not None and options is None:
        return _upload_page(request, flow, options_form=options_form)
    upload = request.FILES.get("file")
    try:
        check_upload(upload)
        data = upload.read()
        original = keep_upload(data, upload.name, user=request.user, agency=request.agency)
        _remember(request, original, options=options)
        if _lacks_required(flow, data, upload.name):
            saved = _store.load(agency=request.agency, kind=flow.kind) if _store else None
            if saved is not None:
                mapped, mapped_name = remap(data, upload.name, *saved)
                if not _lacks_required(flow, mapped, mapped_name):
                    return _preview(request, flow, data=mapped, filename=upload.name, options=options,
                                    original=original, mapping="default")
            return redirect(f"{reverse(flow.upload_url)}?token={original}&step=map")
        return _preview(request, flow, data=data, filename=upload.name, options=options, original=original)
    except TabularError as error:
        return _upload_page(request, flow, options_form=options_form, file_error=str(error))


class MappingForm(forms.Form):
    """Which of our columns each of the file's columns is; one value for a required column the file lacks."""

    save_as = forms.CharField(label="Save this mapping as", max_length=80, initial="default", required=False,
                              help_text="Saved for this import and this agency: next month's file goes straight to "
                                        "the preview. Leave empty not to save it.",
                              widget=forms.TextInput(attrs={"class": "usa-input"}))

    def __init__(self, *args, flow: ImportFlow, header: list[str], initial_map: dict, initial_constants: dict,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.flow, self.header = flow, header
        choices = [("", "— ignore this column —")] + [(c, c) for c in flow.columns]
        self.column_fields = []
        for index, theirs in enumerate(header):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(label=theirs or f"(column {index + 1}, no header)", choices=choices,
                                                  required=False, initial=initial_map.get(fold_header(theirs), ""),
                                                  widget=forms.Select(attrs={"class": "usa-select"}))
            self.column_fields.append(name)
        self.constant_fields = []
        for column in flow.required:
            name = f"const_{column}"
            self.fields[name] = forms.CharField(
                label=f"{column}: the same value for every row", max_length=200, required=False,
                initial=initial_constants.get(column, ""), widget=forms.TextInput(attrs={"class": "usa-input"}),
                help_text="Only for a column the file does not have (e.g. record = certification_passed for a "
                          "nexTEST results export).")
            self.constant_fields.append(name)
        self.order_fields([*self.column_fields, *self.constant_fields, "save_as"])

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for index, name in enumerate(self.column_fields):
            ours = data.get(name)
            if not ours:
                continue
            if ours in used:
                self.add_error(name, f'"{ours}" is already the column "{used[ours]}"; choose it once.')
            used[ours] = self.header[index]
        for column in self.flow.required:
            constant = (data.get(f"const_{column}") or "").strip()
            if column in used and constant:
                self.add_error(f"const_{column}", f'"{column}" is a column of the file already; leave this empty.')
            elif column not in used and not constant:
                self.add_error(f"const_{column}", f'Choose which column of the file is "{column}", or give one '
                                                  "value for every row.")
        return data

    def mapping(self) -> tuple[dict, dict]:
        columns = {fold_header(self.header[i]): self.cleaned_data[name] or ""
                   for i, name in enumerate(self.column_fields) if fold_header(self.header[i])}
        constants = {column: self.cleaned_data[f"const_{column}"].strip() for column in self.flow.required
                     if (self.cleaned_data.get(f"const_{column}") or "").strip()}
        return columns, constants

    def column_rows(self, rows: list[list]) -> list[tuple]:
        """(bound field, first values) per column of the file, for the page."""
        return [(self[name], [row[i] if i < len(row) else "" for row in rows])
                for i, name in enumerate(self.column_fields)]


def mapping_view(request, flow: ImportFlow, *, token: str):
    try:
        data, filename = load_upload(token, user=request.user, agency=request.agency)
        header, rows = sample(data, filename, rows=3)
    except TabularError as error:
        messages.error(request, str(error))
        return redirect(flow.upload_url)
    remembered = _recall(request, token)
    saved = _store.load(agency=request.agency, kind=flow.kind) if _store else None
    initial_map = dict(saved[0]) if saved else {}
    for theirs in header:  # our own column names match themselves
        if fold_header(theirs) in flow.columns:
            initial_map.setdefault(fold_header(theirs), fold_header(theirs))
    form = MappingForm(request.POST if request.method == "POST" else None, flow=flow, header=header,
                       initial_map=initial_map, initial_constants=saved[1] if saved else {})
    if request.method == "POST" and form.is_valid():
        columns, constants = form.mapping()
        name = form.cleaned_data["save_as"].strip()
        try:
            options = _bind_options(flow, request, remembered["options"])
            mapped, _ = remap(data, filename, columns, constants)
            if name and _store:
                _store.save(agency=request.agency, kind=flow.kind, name=name, columns=columns, constants=constants,
                            actor=request.user)
            return _preview(request, flow, data=mapped, filename=filename, options=options,
                            original=remembered["original"] or token, mapping=name or "this upload only")
        except TabularError as error:
            messages.error(request, str(error))
            return redirect(flow.upload_url)
    return render(request, "common/import_map.html", {
        "flow": flow, "form": form, "token": token, "filename": filename,
        "column_rows": form.column_rows(rows), "saved": saved is not None})


def confirm_view(request, flow: ImportFlow, *, success: Callable[[object, str], str]):
    """POST ``token``: plan the kept file again and apply it; ``success(plan, filename)`` is the message."""
    token = request.POST.get("token", "")
    remembered = _recall(request, token)
    try:
        data, filename = load_upload(token, user=request.user, agency=request.agency)
        options = _bind_options(flow, request, remembered["options"])
        plan = flow.plan(request, data, filename, options)
    except TabularError as error:
        messages.error(request, str(error))
        return redirect(flow.upload_url)
    if not plan.ok:  # the agency changed since the preview
        return render(request, flow.preview_template, {**options, "flow": flow, "plan": plan, "token": "",
                                                       "filename": filename})
    flow.apply(request, plan, filename, options)
    discard_upload(token)
    request.session.pop(_session_key(token), None)
    messages.success(request, success(plan, filename))
    return redirect(flow.done_url)
