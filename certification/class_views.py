"""In-house certification classes (R-CE-5): schedule, roster, attendance and results grid, "recorded in LEDS".

Thin views: resolve the scoped object, bind a form, call one service or selector, render. The LEDS
Representative schedules and records; the LASO and auditors read; supervisors and employees see only
enrollments on the person page (certification/templatetags/certification_classes.py).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.dates import in_words
from common.exports import table_response
from common.forms import call_service
from common.ics import CONTENT_TYPE as CALENDAR_TYPE
from common.pdf import pdf_response, render_pdf
from compliance.selectors import agency_today
from people.models import Person
from people.permissions import ANY_ROLE, READ_CLASSES, SCHEDULE_CLASSES, has_role, role_required
from people.scoping import acts_in_agency

from . import ics, rules, selectors, services
from .forms import CancelClassForm, CertificationClassForm, ClassResultForm, EnrollForm
from .models import CertificationClass, Enrollment

SCHEDULERS = SCHEDULE_CLASSES  # the LEDS Representative schedules classes and records results
CLASS_READERS = READ_CLASSES  # LASO and auditors read


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _class_or_404(request, pk) -> CertificationClass:
    try:
        return selectors.class_with_counts(user=request.user, pk=pk)
    except CertificationClass.DoesNotExist:
        raise Http404("No such class.") from None


def _own_class_or_404(request, pk) -> CertificationClass:
    """A class of the agency the request works in (writes never reach another agency's class)."""
    certification_class = _class_or_404(request, pk)
    if not acts_in_agency(request, certification_class):
        raise Http404("No such class in this agency.")
    return certification_class


def _row_values(enrollment, form=None) -> dict:
    """What a grid row's inputs show: what the user typed (a refused row keeps it), else what is recorded."""
    if form is not None:
        return {key: form.data.get(key, "") for key in ("attendance", "result", "score", "level")}
    level = enrollment.passed_level_id or (enrollment.certification_class.level_id if not enrollment.result else "")
    return {"attendance": enrollment.attendance, "result": enrollment.result,
            "score": "" if enrollment.score is None else str(enrollment.score), "level": str(level or "")}


def _grid_context(request, certification_class) -> dict:
    today = agency_today(certification_class.agency)
    can_record = (has_role(request, SCHEDULERS) and not certification_class.is_cancelled
                  and acts_in_agency(request, certification_class))
    roster = selectors.class_roster(certification_class=certification_class)
    for enrollment in roster:
        enrollment.certification_class = certification_class
        enrollment.values = _row_values(enrollment)
        enrollment.error = ""
    return {
        "certification_class": certification_class,
        "roster": roster,
        "can_record": can_record,
        "results_open": rules.results_recordable(held_on=certification_class.held_on, today=today),
        "roster_open": today <= certification_class.held_on,
        "can_cancel": can_record and not any(enrollment.attendance for enrollment in roster),
        "levels": list(selectors.active_levels()),
        "today": today,
    }


@role_required(CLASS_READERS)
def class_list(request):
    classes = selectors.classes_for(user=request.user, agency=request.agency)
    page = Paginator(classes, 25).get_page(request.GET.get("page"))
    for certification_class in page.object_list:
        certification_class.seats_left = rules.seats_left(capacity=certification_class.capacity,
                                                          taken=certification_class.enrolled)
    return render(request, "certification/class_list.html",
                  {"page": page, "can_schedule": has_role(request, SCHEDULERS),
                   "today": agency_today(request.agency)})


@role_required(SCHEDULERS)
def class_create(request):
    form = CertificationClassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CLASS_FIELDS}
        try:
            certification_class = services.schedule_class(agency=request.agency, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Class scheduled for {in_words(certification_class.held_on)}. "
                                      "Now add the people who need it.")
            return redirect("certification:class_roster_add", pk=certification_class.pk)
    return render(request, "certification/class_form.html", {"form": form, "certification_class": None})


@role_required(SCHEDULERS)
def class_edit(request, pk):
    certification_class = _own_class_or_404(request, pk)
    form = CertificationClassForm(request.POST or None, instance=certification_class)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.CLASS_FIELDS}
        try:
            services.update_class(class_id=certification_class.pk, actor=request.user, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Class details saved.")
            return redirect("certification:class_detail", pk=certification_class.pk)
    return render(request, "certification/class_form.html",
                  {"form": form, "certification_class": certification_class})


@role_required(SCHEDULERS)
def class_cancel(request, pk):
    """Confirm, with a reason, before a class is called off; the roster is e-mailed (never deleted)."""
    certification_class = _own_class_or_404(request, pk)
    if certification_class.is_cancelled:
        messages.info(request, "This class is already cancelled.")
        return redirect("certification:class_detail", pk=certification_class.pk)
    form = CancelClassForm(request.POST or None)
    if request.method == "POST":
        ok, _ = call_service(form, services.cancel_class, class_id=certification_class.pk, actor=request.user)
        if ok:
            messages.success(request, f"The class of {in_words(certification_class.held_on)} is cancelled; "
                                      f"the {certification_class.enrolled} people on its roster are e-mailed.")
            return redirect("certification:class_detail", pk=certification_class.pk)
    return render(request, "certification/class_cancel.html",
                  {"form": form, "certification_class": certification_class})


@role_required(CLASS_READERS)
def class_detail(request, pk):
    certification_class = _class_or_404(request, pk)
    context = _grid_context(request, certification_class)
    template = "certification/_class_roster.html" if request.htmx else "certification/class_detail.html"
    return render(request, template, context)


@role_required(SCHEDULERS)
def class_roster_add(request, pk):
    """The people who need certification (from the engine), added in one action; or found by a search."""
    certification_class = _own_class_or_404(request, pk)
    today = agency_today(certification_class.agency)
    query = request.GET.get("q", "")
    found = selectors.search_people(user=request.user, agency=request.agency, query=query,
                                    certification_class=certification_class)
    if request.htmx and request.method == "GET":
        return render(request, "certification/_people_search.html",
                      {"certification_class": certification_class, "found": found, "query": query})
    errors = []
    if request.method == "POST":
        people = Person.objects.for_user(request.user).in_agency(request.agency)
        form = EnrollForm(request.POST, people_queryset=people)
        if form.is_valid():
            try:
                enrolled = services.enroll_people(class_id=certification_class.pk,
                                                  people=form.cleaned_data["person"], actor=request.user, today=today)
            except ValidationError as error:
                errors = _messages_of(error)
            else:
                count = len(enrolled)
                messages.success(request, f"{count} {'person' if count == 1 else 'people'} enrolled; each is "
                                          "e-mailed the date, place and a calendar file.")
                return redirect("certification:class_detail", pk=certification_class.pk)
        else:
            errors = [e for field_errors in form.errors.values() for e in field_errors]
        certification_class = _class_or_404(request, pk)
    candidates, candidate_count = selectors.roster_candidates(certification_class=certification_class, today=today)
    chosen = {int(p) for p in request.POST.getlist("person") if p.isdigit()} if request.method == "POST" else None
    return render(request, "certification/class_roster_add.html", {
        "certification_class": certification_class, "candidates": candidates, "candidate_count": candidate_count,
        "found": found, "query": query,
        "errors": errors, "chosen": chosen, "roster_open": today <= certification_class.held_on,
    })


def _enrollment_or_404(request, pk) -> Enrollment:
    if request.agency is None:
        raise Http404("No such enrollment.")
    return get_object_or_404(
        Enrollment.objects.for_user(request.user).in_agency(request.agency).select_related(
            "certification_class", "certification_class__agency", "certification_class__level"), pk=pk)


def _row_response(request, enrollment, *, form=None, error=""):
    """The grid row, redrawn after a save (or with what was typed and why it was refused)."""
    certification_class = selectors.class_with_counts(user=request.user, pk=enrollment.certification_class_id)
    context = _grid_context(request, certification_class)
    row = next((e for e in context["roster"] if e.pk == enrollment.pk), None)
    if row is None:
        return redirect("certification:class_detail", pk=certification_class.pk)
    if form is not None:
        row.values = _row_values(row, form)
        error = error or "; ".join(" ".join(errors) for errors in form.errors.values())
    row.error = error
    context["enrollment"] = row
    return render(request, "certification/_roster_row.html", context)


@require_POST
@role_required(SCHEDULERS)
def enrollment_result(request, pk):
    """One row of the attendance and result grid (htmx: the row is redrawn, no page reload)."""
    enrollment = _enrollment_or_404(request, pk)
    form = ClassResultForm(request.POST)
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_class_result(
                enrollment_id=enrollment.pk, attendance=data["attendance"], result=data["result"],
                score=data["score"], level=data["level"], actor=request.user,
                today=agency_today(enrollment.certification_class.agency))
        except ValidationError as exc:
            error = " ".join(_messages_of(exc))
        else:
            form = None
    if request.htmx:
        return _row_response(request, enrollment, form=form, error=error)
    if form is not None:
        messages.error(request, error or "; ".join(f"{f}: {' '.join(e)}" for f, e in form.errors.items()))
    else:
        messages.success(request, f"Result of {enrollment.person} saved.")
    return redirect("certification:class_detail", pk=enrollment.certification_class_id)


@require_POST
@role_required(SCHEDULERS)
def enrollment_recorded_in_leds(request, pk):
    """R-CE-5: tick (or untick) "recorded in LEDS" for a pass; who and when are kept with history."""
    enrollment = _enrollment_or_404(request, pk)
    error = ""
    try:
        services.set_recorded_in_leds(enrollment_id=enrollment.pk, is_recorded=request.POST.get("recorded") == "1",
                                      actor=request.user)
    except ValidationError as exc:
        error = " ".join(_messages_of(exc))
    if request.htmx:
        return _row_response(request, enrollment, error=error)
    if error:
        messages.error(request, error)
    return redirect("certification:class_detail", pk=enrollment.certification_class_id)


@require_POST
@role_required(SCHEDULERS)
def enrollment_withdraw(request, pk):
    enrollment = _enrollment_or_404(request, pk)
    try:
        services.withdraw_enrollment(enrollment_id=enrollment.pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(request, f"{enrollment.person} was taken off the roster; the seat is free again.")
    return redirect("certification:class_detail", pk=enrollment.certification_class_id)


@role_required(ANY_ROLE)
def enrollment_ics(request, pk):
    """The class's calendar file for someone who may see the enrollment (the person, their supervisor, ...)."""
    enrollment = get_object_or_404(Enrollment.objects.for_user(request.user).select_related(
        "certification_class", "certification_class__agency", "certification_class__level"), pk=pk)
    response = HttpResponse(ics.class_ics(enrollment.certification_class), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="leds-class-{enrollment.certification_class_id}.ics"'
    return response


@role_required(CLASS_READERS)
def class_roster_pdf(request, pk):
    """The roster sheet to print for signatures."""
    certification_class = _class_or_404(request, pk)
    start, end = ics.class_times(certification_class)
    content = render_pdf("certification/roster_sheet.html", {
        "certification_class": certification_class, "starts_at": start, "ends_at": end,
        "roster": selectors.class_roster(certification_class=certification_class),
    })
    return pdf_response(content, filename=f"leds-class-{certification_class.held_on:%Y-%m-%d}-roster.pdf")


@role_required(CLASS_READERS)
def class_results_export(request, pk):
    certification_class = _class_or_404(request, pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    zone = certification_class.agency.zone
    headers = ["class_date", "employee_id", "last_name", "first_name", "attendance", "result", "score", "level",
               "recorded_in_leds", "recorded_in_leds_by", "recorded_in_leds_at"]

    def when(moment):
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    rows = ([f"{certification_class.held_on:%Y-%m-%d}", e.person.employee_id, e.person.last_name,
             e.person.first_name, e.attendance, e.result, e.score, str(e.passed_level or ""),
             "yes" if e.is_recorded_in_leds else "no", str(e.recorded_in_leds_by or ""), when(e.recorded_in_leds_at)]
            for e in selectors.class_roster(certification_class=certification_class))
    return table_response(filename=f"leds-class-{certification_class.held_on:%Y-%m-%d}-results", fmt=fmt,
                          headers=headers, rows=rows)
