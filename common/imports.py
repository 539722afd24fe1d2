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

**Large files** (issue 17): a file of more than ``settings.IMPORT_INLINE_MAX_ROWS`` rows is not planned inside
the request. It is stored as a job (``people.ImportJob``: the file, the options and mapping, for this user and
agency) and a Celery worker (``common.tasks.run_import``) maps, reads and plans it, writing its progress (rows
done of total) to the row; the browser goes to the job's page, where htmx polls a small progress fragment every
second until the same preview as above appears. Its confirm hands the job back to a worker, which plans again and
applies; the page then goes where the inline confirm goes, with the same kind of message. Errors are the same
(``line N, column NAME``, nothing imported; a file-level error such as more rows than ``IMPORT_MAX_ROWS`` returns
to the upload page). Jobs older than a day are removed when the next large file is uploaded.

Saved mappings live with the agency (``people.ColumnMapping``), jobs in ``people.ImportJob``; ``people`` hands the
flow a ``MappingStore`` and a ``JobStore`` at start-up, so this module imports no app.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import get_resolver, reverse

from .tabular import (
    TabularError,
    check_upload,
    discard_upload,
    estimated_rows,
    fold_header,
    keep_upload,
    load_upload,
    purge_kept_uploads,
    remap,
    reporting_progress,
    sample,
)

logger = logging.getLogger(__name__)


class MappingStore(Protocol):
    def load(self, *, agency, kind: str, name: str = "default") -> tuple[dict, dict] | None: ...

    def save(self, *, agency, kind: str, name: str, columns: dict, constants: dict, actor) -> None: ...


class JobStore(Protocol):
    model: type  # people.ImportJob

    def create(self, **fields): ...

    def scoped(self, request): ...  # the jobs of the request's agency uploaded by its user

    def request_for(self, job): ...  # a request as the middleware resolves it for the job's uploader

    def purge(self) -> int: ...


_store: MappingStore | None = None
_jobs: JobStore | None = None
FLOWS: dict[str, ImportFlow] = {}  # every declared flow by kind, for the worker


def set_mapping_store(store: MappingStore) -> None:
    """Called once at start-up by the app that keeps the agencies' saved mappings (people)."""
    global _store
    _store = store


def set_job_store(store: JobStore) -> None:
    """Called once at start-up by the app that keeps large uploads while a worker plans them (people)."""
    global _jobs
    _jobs = store


def inline_max_rows() -> int:
    return getattr(settings, "IMPORT_INLINE_MAX_ROWS", 2_000)


@dataclass(frozen=True)
class ImportFlow:
    kind: str  # the import's name for saved mappings and commands' --mapping (people.ColumnMapping.kind)
    title: str  # "Import the roster"
    required: Sequence[str]
    optional: Sequence[str]
    upload_template: str  # the page's own text around templates/imports/_upload_form.html
    preview_template: str
    upload_url: str  # URL names
    confirm_url: str
    done_url: str
    plan: Callable  # plan(request, data, filename, options) -> a plan with ok, errors, warnings, summary()
    apply: Callable  # apply(request, plan, filename, options); a str it returns is the URL to go to afterwards
    # the import's own inputs on the upload page (a state system, the day a list arrived): options_form(request, data)
    # returns a form, bound to ``data`` (None: unbound); its cleaned values reach plan() and apply() as ``options``
    options_form: Callable | None = None
    upload_context: Callable = field(default=lambda request: {})  # extra context for the upload page
    file_label: str = "File"  # the upload page's file field ("Roster file")

    def __post_init__(self):
        FLOWS[self.kind] = self

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


def _lacks_required(flow: ImportFlow, data: bytes, filename: str, mapping: tuple[dict, dict] | None = None) -> bool:
    """Whether the file's header (renamed by ``mapping``, if given) lacks one of our required columns; only the
    header is read."""
    header, _rows = sample(data, filename, rows=0)
    folded = [fold_header(h) for h in header]
    if mapping is not None:
        columns, constants = mapping
        folded = [columns.get(h, h) for h in folded] + [c for c in constants if c]
    return any(column not in folded for column in flow.required)


def upload_form(flow: ImportFlow, request, data=None, files=None) -> forms.Form:
    """The upload page's one form: the import's own options (if any), then the file, drawn by the one renderer
    (``{{ form }}`` in templates/imports/_upload_form.html)."""
    form = flow.options_form(request, data) if flow.options_form else forms.Form(data)
    form.fields["file"] = forms.FileField(
        label=flow.file_label, help_text="CSV (UTF-8) or XLSX, at most 10 MB.",
        error_messages={"required": "Choose a file to upload.", "empty": "The file is empty."},
        widget=forms.FileInput(attrs={"id": f"{flow.kind.replace('_', '-')}-file", "accept": ".csv,.xlsx"}))
    if files is not None:
        form.files = files
    return form


def _upload_page(request, flow: ImportFlow, *, form=None, file_error: str = ""):
    """The upload page; ``file_error`` (why the file could not be read) is shown as the file field's error."""
    if form is None:
        form = upload_form(flow, request, {} if file_error else None, {} if file_error else None)
    if file_error:
        form.is_valid()
        form.errors["file"] = form.error_class([file_error])
    context = {"flow": flow, "required": flow.required, "optional": flow.optional, "form": form,
               **flow.upload_context(request)}
    return render(request, flow.upload_template, context)


def _preview(request, flow: ImportFlow, *, data: bytes, filename: str, options: dict, original: str,
             mapping: str = "", columns: dict | None = None, constants: dict | None = None):
    """The preview of ``data`` (the file as uploaded; ``columns``/``constants`` rename its columns first): planned
    here for a small file, by a worker for a large one."""
    if _jobs is not None and estimated_rows(data, filename) > inline_max_rows():
        return _start_job(request, flow, data=data, filename=filename, options=options, original=original,
                          mapping=mapping, columns=columns, constants=constants)
    if columns is not None:
        data, filename = remap(data, filename, columns, constants)  # CSV UTF-8, read as it was written
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
        return _upload_page(request, flow)
    form = upload_form(flow, request, request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, flow, form=form)
    options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
    upload = form.cleaned_data["file"]
    purge_kept_uploads()  # uploads never confirmed are removed a day later
    try:
        check_upload(upload)
        data = upload.read()
        original = keep_upload(data, upload.name, user=request.user, agency=request.agency)
        _remember(request, original, options=options)
        if _lacks_required(flow, data, upload.name):
            saved = _store.load(agency=request.agency, kind=flow.kind) if _store else None
            if saved is not None and not _lacks_required(flow, data, upload.name, saved):
                return _preview(request, flow, data=data, filename=upload.name, options=options,
                                original=original, mapping="default", columns=saved[0], constants=saved[1])
            return redirect(f"{reverse(flow.upload_url)}?token={original}&step=map")
        return _preview(request, flow, data=data, filename=upload.name, options=options, original=original)
    except TabularError as error:
        return _upload_page(request, flow, form=form, file_error=str(error))


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
            if name and _store:
                _store.save(agency=request.agency, kind=flow.kind, name=name, columns=columns, constants=constants,
                            actor=request.user)
            return _preview(request, flow, data=data, filename=filename, options=options,
                            original=remembered["original"] or token, mapping=name or "this upload only",
                            columns=columns, constants=constants)
        except TabularError as error:
            messages.error(request, str(error))
            return redirect(flow.upload_url)
    return render(request, "common/import_map.html", {
        "flow": flow, "form": form, "token": token, "filename": filename,
        "column_rows": form.column_rows(rows), "saved": saved is not None})


def confirm_view(request, flow: ImportFlow, *, success: Callable[[object, str], str]):
    """POST ``token``: plan the kept file again and apply it; ``success(plan, filename)`` is the message."""
    token = request.POST.get("token", "")
    if token.startswith(JOB_PREFIX):
        return _confirm_job(request, flow, token)
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
    next_url = flow.apply(request, plan, filename, options)
    next_url = next_url if isinstance(next_url, str) else ""  # an apply may return its plan or what it made
    discard_upload(token)
    request.session.pop(_session_key(token), None)
    messages.success(request, success(plan, filename))
    return redirect(next_url or flow.done_url)



# --- large files: planned and applied by a worker (issue 17) -------------------------------------------------------

JOB_PREFIX = "job:"  # a preview's token that names a job instead of a kept upload
PREVIEW_ITEMS = 500  # the longest list a preview shows (errors: 500; rows to create or update: 200)


class Trimmed(list):
    """The first items of one of a plan's lists, with the length of the whole list: what a preview shows of it
    (``|length`` and ``{% if %}`` see the whole list, ``|slice`` and ``{% for %}`` the items kept)."""

    def __init__(self, items, total: int):
        super().__init__(items)
        self.total = total

    def __len__(self):
        return self.total


def _trim(value):
    if isinstance(value, list) and len(value) > PREVIEW_ITEMS:
        return Trimmed(value[:PREVIEW_ITEMS], len(value))
    if isinstance(value, dict):
        return {key: _trim(item) for key, item in value.items()}
    return value


def _preview_of(plan):
    """The plan as the preview needs it, its long lists cut short, so the stored preview stays small."""
    changes = {f.name: _trim(getattr(plan, f.name)) for f in dataclasses.fields(plan) if f.init}
    return dataclasses.replace(plan, **changes)


def _flow(kind: str) -> ImportFlow:
    """The flow of a job; a worker has not imported the views that declare the flows until it loads the URLconf."""
    if kind not in FLOWS:
        get_resolver().url_patterns  # noqa: B018 — importing the root URLconf imports every view module
    return FLOWS[kind]


def _job_url(job) -> str:
    return reverse("people:import_job", args=[job.pk])


def _start_job(request, flow: ImportFlow, *, data: bytes, filename: str, options: dict, original: str,
               mapping: str, columns: dict | None, constants: dict | None):
    """Store the upload as a job for this user and agency, hand it to a worker, and go to its page."""
    _jobs.purge()  # yesterday's jobs go: stored files do not pile up
    job = _jobs.create(
        agency=request.agency, uploaded_by=request.user, kind=flow.kind, filename=filename, data=data,
        options=_jsonable(options), columns=columns or {}, constants=constants or {}, mapping=mapping,
        original=original, remote_addr=request.META.get("REMOTE_ADDR") or None,
        step="Waiting for a worker", total=estimated_rows(data, filename))
    transaction.on_commit(lambda: _dispatch(job.pk))
    return redirect(_job_url(job))


def _dispatch(job_id: int) -> None:
    from .tasks import run_import  # tasks.py imports this module

    try:
        run_import.apply_async(args=[job_id], retry=False)
    except Exception as exc:  # the broker is down: say so on the job's page rather than leave it waiting
        logger.warning("Import job %s could not be handed to a worker: %s", job_id, exc)
        _jobs.model.objects.filter(pk=job_id).update(
            status=_jobs.model.Status.FAILED,
            error="No worker could take the file just now. Upload it again in a few minutes.")


def _confirm_job(request, flow: ImportFlow, token: str):
    """Confirm a previewed job: a worker plans it again (the agency may have changed since) and applies it."""
    pk = token.removeprefix(JOB_PREFIX)
    job = get_object_or_404(_jobs.scoped(request).filter(kind=flow.kind).only("pk", "original"),
                            pk=pk if pk.isdigit() else 0)
    Status = _jobs.model.Status
    claimed = _jobs.model.objects.filter(pk=job.pk, status=Status.PLANNED).update(
        status=Status.CONFIRMED, step="Waiting for a worker", done=0)
    if claimed:  # a second click on "Confirm" confirms nothing twice
        if job.original:
            discard_upload(job.original)  # kept only for "map the columns differently" from the preview
        transaction.on_commit(lambda: _dispatch(job.pk))
    return redirect(_job_url(job))


def job_view(request, pk: int):
    """A large upload's page: its progress while a worker has it (htmx polls the fragment every second), then the
    import's own preview, the upload page with the file's error, or — once imported — where the import goes."""
    job = get_object_or_404(_jobs.scoped(request).defer("data"), pk=pk)
    flow = _flow(job.kind)
    if job.is_running:
        template = "imports/_job_progress.html" if request.htmx else "imports/job.html"
        return render(request, template, {"job": job, "flow": flow})
    if request.htmx:  # finished: the whole page shows what follows
        response = HttpResponse(status=204)
        response["HX-Redirect"] = _job_url(job)
        return response
    Status = _jobs.model.Status
    if job.status == Status.FAILED:
        return _upload_page(request, flow, form=upload_form(flow, request, job.options, {}), file_error=job.error)
    if job.status == Status.APPLIED:
        messages.success(request, job.message)
        return redirect(job.next_url or flow.done_url)
    try:
        options = _bind_options(flow, request, job.options)
    except TabularError as error:
        return _upload_page(request, flow, file_error=str(error))
    plan = pickle.loads(job.plan)  # noqa: S301 — written by our own worker (run_job), never a user's bytes
    remap_url = f"{reverse(flow.upload_url)}?token={job.original}&step=map" if job.original else ""
    return render(request, flow.preview_template, {
        **options, "flow": flow, "plan": plan, "token": f"{JOB_PREFIX}{job.pk}" if plan.ok else "",
        "filename": job.filename, "mapping_used": job.mapping, "remap_url": remap_url, "job": job})


def run_job(job_id: int) -> None:
    """The worker's part (common.tasks.run_import): plan a queued job, or plan again and apply a confirmed one.

    Idempotent: the job is claimed by a conditional update, so a job is never planned or applied twice."""
    Job = _jobs.model
    Status = Job.Status
    if Job.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.PLANNING, step="Reading the file"):
        applying = False
    elif Job.objects.filter(pk=job_id, status=Status.CONFIRMED).update(status=Status.APPLYING,
                                                                        step="Reading the file"):
        applying = True
    else:
        return  # another worker has it, or it is done
    # the file is read on its own below and the stored preview not at all: neither stays on the job while it runs
    job = Job.objects.select_related("agency", "uploaded_by").defer("data", "plan").get(pk=job_id)
    flow = _flow(job.kind)
    request = _jobs.request_for(job)

    def report(step: str, done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(step=step[:200], done=done, total=total)

    try:
        with reporting_progress(report):
            options = _bind_options(flow, request, job.options)
            data, filename = bytes(Job.objects.filter(pk=job_id).values_list("data", flat=True).get()), job.filename
            if job.columns or job.constants:
                data, filename = remap(data, filename, job.columns, job.constants)
            plan = flow.plan(request, data, filename, options)
            del data
        # what planning let go (each row's checking form, the parsed table) is freed before anything is built to
        # write: a confirmed 100,000-row roster then peaks within the worker's 300 MB (issue 17, bench/import_roster)
        gc.collect()
        if not applying or not plan.ok:  # a plan with errors, or an agency changed since the preview: show it
            Job.objects.filter(pk=job_id).update(status=Status.PLANNED, plan=pickle.dumps(_preview_of(plan)),
                                                 step="Ready to preview")
            return
        report("Importing", 0, 1)
        with transaction.atomic():
            next_url = flow.apply(request, plan, filename, options)
            next_url = next_url if isinstance(next_url, str) else ""
            message = f"{job.filename} imported: {plan.summary()}."
            Job.objects.filter(pk=job_id).update(status=Status.APPLIED, message=message[:500], done=1, total=1,
                                                 next_url=next_url or "", data=b"", plan=None, step="Imported")
    except TabularError as error:
        Job.objects.filter(pk=job_id).update(status=Status.FAILED, error=str(error), data=b"", plan=None)
    except Exception:  # no traceback reaches the user: the page says what to do, the log keeps the rest
        logger.exception("Import job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Status.FAILED, data=b"", plan=None,
            error="The file could not be imported because of an error on our side; nothing was imported. "
                  "Try again, and tell your administrator if it happens again.")
