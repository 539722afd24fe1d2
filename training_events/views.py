"""Thin views of training events: resolve the scoped object, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exports import table_response
from common.forms import call_service, error_text
from common.ics import CONTENT_TYPE as CALENDAR_TYPE
from common.links import absolute_reverse
from people.models import Person
from people.permissions import (
    ACT_FOR_OTHERS,
    ANY_ROLE,
    HOST_READERS,
    LEDS_REPRESENTATIVE_ONLY,
    READ_REGISTRATIONS,
    TRAINING_UNIT,
    has_role,
    role_required,
)

from . import digest, ics, selectors, services
from .forms import (
    CancelEventForm,
    CancelForm,
    DecisionForm,
    EventCompleteForm,
    EventEditForm,
    EventForm,
    HostRequestForm,
    RegisterMeForm,
    RegisterSomeoneForm,
)
from .models import Attendance, CalendarFeed, HostRequest, Registration, StatewideCalendarFeed, TrainingEvent


@role_required(ANY_ROLE)
def event_list(request):
    events = selectors.upcoming_events(now=timezone.now())
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    selectors.annotate_phrases(page.object_list)
    context = {"page": page, "can_publish": has_role(request, TRAINING_UNIT)}
    return render(request, "training_events/event_list.html", context)


def _detail_context(request, event):
    person = request.access.person
    staff = None
    if has_role(request, LEDS_REPRESENTATIVE_ONLY) and request.agency is not None:
        staff = Person.objects.for_user(request.user).in_agency(request.agency).filter(
            status=Person.Status.ACTIVE).order_by("last_name", "first_name")
    days = selectors.day_seats(event=event) if event.attendees_choose_days else event.days.all()
    return {
        "event": event,
        "own_registration": selectors.own_registration(person=person, event=event),
        "person": person,
        "can_read_registrations": has_role(request, READ_REGISTRATIONS),
        "is_training_unit": has_role(request, TRAINING_UNIT),
        "cancel_form": CancelForm(),
        "days": days,
        "register_me_form": RegisterMeForm(event=event, days=days),
        "register_someone_form": (RegisterSomeoneForm(event=event, days=days, staff=staff)
                                  if staff is not None else None),
    }


@role_required(ANY_ROLE)
def event_detail(request, pk):
    try:
        event = selectors.event_with_counts(pk=pk)
    except TrainingEvent.DoesNotExist:
        raise Http404("No such event.") from None
    template = "training_events/_registration_panel.html" if request.htmx else "training_events/event_detail.html"
    return render(request, template, _detail_context(request, event))


@role_required(TRAINING_UNIT)
def event_create(request):
    """Publish an event; from an accepted offer to host (``?host_request=``) the venue comes filled in."""
    host_request = None
    if request.GET.get("host_request", "").isdigit():
        host_request = HostRequest.objects.for_user(request.user).filter(
            pk=request.GET["host_request"], status=HostRequest.Status.ACCEPTED).select_related("agency").first()
    initial = {}
    if host_request is not None:
        initial = {"venue_name": host_request.venue_name, "venue_address": host_request.venue_address,
                   "seat_cap": host_request.capacity, "time_zone": host_request.agency.time_zone,
                   "description": f"Hosted by {host_request.agency.name}. Proposed dates: "
                                  f"{host_request.proposed_dates}."}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if host_request is not None:
            fields["host_agency"] = host_request.agency
        try:
            event = services.publish_event(actor=request.user, days=form.days(form.instance.zone), **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Published {event.title}.")
            return redirect("training_events:detail", pk=event.pk)
    return render(request, "training_events/event_form.html", {"form": form, "host_request": host_request})


@role_required(TRAINING_UNIT)
def event_edit(request, pk):
    """Change a published event's details; its days stay as published (people registered for them)."""
    event = get_object_or_404(TrainingEvent, pk=pk)
    if event.status == TrainingEvent.Status.CANCELLED:
        messages.info(request, "This event is cancelled; it is kept as it was.")
        return redirect("training_events:detail", pk=event.pk)
    if event.details_pending:
        return redirect("training_events:event_complete", pk=event.pk)
    form = EventEditForm(request.POST or None, instance=event)
    if request.method == "POST":
        ok, _ = call_service(form, services.update_event, event_id=event.pk, actor=request.user)
        if ok:
            messages.success(request, "Event saved. Anyone promoted from the waitlist, or told of a new venue, "
                                      "is e-mailed.")
            return redirect("training_events:detail", pk=event.pk)
    return render(request, "training_events/event_form.html", {"form": form, "event": event})


@role_required(TRAINING_UNIT)
def event_cancel(request, pk):
    """Confirm, with a reason, before a whole event is called off; everyone registered is e-mailed."""
    event = get_object_or_404(TrainingEvent, pk=pk)
    if event.status == TrainingEvent.Status.CANCELLED:
        messages.info(request, "This event is already cancelled.")
        return redirect("training_events:detail", pk=event.pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST":
        ok, _ = call_service(form, services.cancel_event, event_id=event.pk, actor=request.user)
        if ok:
            messages.success(request, f"{event.title} is cancelled; everyone registered or waitlisted is e-mailed.")
            return redirect("training_events:detail", pk=event.pk)
    live = event.registrations.exclude(status=Registration.Status.CANCELLED).count()
    return render(request, "training_events/event_cancel.html", {"form": form, "event": event, "live": live})


@require_POST
@role_required(ANY_ROLE)
def notify_me(request, pk):
    """Save the date: e-mail me once when registration opens."""
    event = get_object_or_404(TrainingEvent, pk=pk)
    try:
        _interest, created = services.ask_to_be_notified(event_id=event.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "You will be e-mailed when registration opens." if created
                         else "You are already on the list; you will be e-mailed when registration opens.")
    return redirect("training_events:detail", pk=event.pk)


@role_required(TRAINING_UNIT)
def event_complete(request, pk):
    """Give a save-the-date its venue and seats: registration opens and the "notify me" list is e-mailed."""
    event = get_object_or_404(TrainingEvent, pk=pk)
    if not event.details_pending or event.status != TrainingEvent.Status.PUBLISHED:
        messages.info(request, "This event's registration is already open (or it was cancelled).")
        return redirect("training_events:detail", pk=event.pk)
    form = EventCompleteForm(request.POST or None, instance=event)
    if request.method == "POST":
        ok, _ = call_service(form, services.complete_event_details, event_id=event.pk, actor=request.user)
        if ok:
            messages.success(request, "Registration is open; everyone who asked to be told is e-mailed.")
            return redirect("training_events:detail", pk=event.pk)
    waiting = event.interests.filter(notified_at__isnull=True).count()
    return render(request, "training_events/event_complete.html", {"form": form, "event": event, "waiting": waiting},
                  status=400 if form.errors else 200)


@require_POST
@role_required(ANY_ROLE)
def register(request, pk):
    # the event is read once, by the service, under its seat lock; a missing one is a 404 from there (issue 23)
    person_id = request.POST.get("person")
    if person_id is not None and not person_id.strip():
        # "Register someone from my agency" sent without a choice: never fall back to registering oneself
        messages.error(request, "Choose the person to register.")
        return redirect("training_events:detail", pk=get_object_or_404(TrainingEvent, pk=pk).pk)
    if person_id:
        if not has_role(request, ACT_FOR_OTHERS):
            raise PermissionDenied("Your role may register only yourself.")
        person = get_object_or_404(Person.objects.for_user(request.user), pk=person_id)
    else:
        person = request.access.person
        if person is None:
            messages.error(request, "Your sign-in is not linked to a person record; ask your LEDS Representative.")
            return redirect("training_events:detail", pk=get_object_or_404(TrainingEvent, pk=pk).pk)
    try:
        day_ids = [int(d) for d in request.POST.getlist("day") if d.isdigit()]
        registration = services.register_for_event(event_id=pk, person=person, actor=request.user,
                                                   day_ids=day_ids)
    except TrainingEvent.DoesNotExist:
        raise Http404("No such event.") from None
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        event = registration.event
        if event.attendees_choose_days:
            places = selectors.day_positions(registration=registration)
            summary = "; ".join(f"{p.day.starts_at.astimezone(event.zone):%a %b %-d}: "
                                + ("confirmed" if p.position is None else f"waitlisted, position {p.position}")
                                for p in places)
            messages.success(request, f"{person}: registered — {summary}.")
        elif registration.status == Registration.Status.CONFIRMED:
            messages.success(request, f"{person}: registered. A confirmation with a calendar file is on its way.")
        else:
            position = registration.waitlist_position_at_signup  # counted under the seat lock
            messages.warning(request, f"{person}: the event is full — waitlisted, position {position}.")
    if request.htmx:
        event = selectors.event_with_counts(pk=pk)
        return render(request, "training_events/_registration_panel.html", _detail_context(request, event))
    return redirect("training_events:detail", pk=pk)


@require_POST
@role_required(ANY_ROLE)
def cancel(request, pk):
    registration = get_object_or_404(Registration.objects.for_user(request.user).select_related("person"), pk=pk)
    if registration.person.user_id != request.user.pk and not has_role(request, ACT_FOR_OTHERS):
        raise PermissionDenied("Your role may cancel only your own registration.")
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.cancel_registration(registration_id=registration.pk, actor=request.user, reason=reason)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Cancelled the registration of {registration.person}.")
    if request.htmx:
        event = selectors.event_with_counts(pk=registration.event_id)
        return render(request, "training_events/_registration_panel.html", _detail_context(request, event))
    return redirect("training_events:detail", pk=registration.event_id)


@role_required(ANY_ROLE)
def registration_ics(request, pk):
    registration = get_object_or_404(Registration.objects.for_user(request.user).select_related("event"), pk=pk)
    response = HttpResponse(ics.event_ics(registration.event), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = f'attachment; filename="training-event-{registration.event_id}.ics"'
    return response


@role_required(READ_REGISTRATIONS)
def event_registrations(request, pk):
    event = get_object_or_404(TrainingEvent, pk=pk)
    context = {
        "event": event,
        "registrations": selectors.registrations_for(user=request.user, event=event),
        "per_agency": selectors.per_agency_counts(user=request.user, event=event),
        "is_training_unit": has_role(request, TRAINING_UNIT),
    }
    return render(request, "training_events/event_registrations.html", context)


@role_required(READ_REGISTRATIONS)
def roster_export(request, pk):
    event = get_object_or_404(TrainingEvent, pk=pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    headers = ["arrival", "status", "waitlist_position", "agency_ori", "agency", "employee_id", "last_name",
               "first_name", "email", "registered_at"]
    rows = ([r.arrival, r.status, r.position or "", r.person.agency.ori, r.person.agency.name, r.person.employee_id,
             r.person.last_name, r.person.first_name, r.person.email,
             r.registered_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M")]
            for r in selectors.registrations_for(user=request.user, event=event))
    return table_response(filename=f"training-event-{event.pk}-roster", fmt=fmt, headers=headers, rows=rows)


@role_required(TRAINING_UNIT)
def attendance(request, pk):
    event = get_object_or_404(TrainingEvent.objects.prefetch_related("days"), pk=pk)
    if request.method == "POST":
        errors = []
        registrations = {r.pk: r for r in event.registrations.filter(status=Registration.Status.CONFIRMED)}
        days = {d.pk: d for d in event.days.all()}
        for key, outcome in request.POST.items():
            if not key.startswith("a-") or outcome not in Attendance.Outcome.values:
                continue
            try:
                registration_id, day_id = (int(part) for part in key[2:].split("-"))
                services.record_attendance(registration=registrations[registration_id], day=days[day_id],
                                           outcome=outcome, actor=request.user)
            except (KeyError, ValueError):
                errors.append(f"{key}: not a registration and day of this event")
            except ValidationError as error:
                errors.append(error_text(error))
        if errors:
            for error in sorted(set(errors)):
                messages.error(request, error)
        else:
            messages.success(request, "Attendance recorded.")
        return redirect("training_events:attendance", pk=event.pk)
    days, grid = selectors.attendance_grid(event=event)
    return render(request, "training_events/attendance.html",
                  {"event": event, "days": days, "grid": grid, "outcomes": Attendance.Outcome.choices})


@role_required(ANY_ROLE)
def my_calendar(request):
    person = request.access.person
    feed = CalendarFeed.objects.for_user(request.user).filter(person=person, revoked_at__isnull=True).first()
    feed_url = absolute_reverse("training_events:feed", feed.token) if feed else ""  # SITE_URL, not the Host
    history = selectors.training_history(user=request.user, person=person) if person else []
    statewide = StatewideCalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    statewide_url = absolute_reverse("training_events:statewide_feed", statewide.token) if statewide else ""
    return render(request, "training_events/my_calendar.html",
                  {"person": person, "feed_url": feed_url, "history": history, "statewide_url": statewide_url})


@require_POST
@role_required(ANY_ROLE)
def statewide_feed_issue(request):
    services.issue_statewide_feed(user=request.user)
    messages.success(request, "A new statewide calendar address was made; any earlier one no longer works.")
    return redirect("training_events:my_calendar")


@require_POST
@role_required(ANY_ROLE)
def statewide_feed_revoke(request):
    services.revoke_statewide_feeds(user=request.user)
    messages.success(request, "Your statewide calendar address no longer works.")
    return redirect("training_events:my_calendar")


def statewide_feed(request, token):
    """Every published event as iCalendar, behind a revocable secret token (calendar apps cannot sign in)."""
    get_object_or_404(StatewideCalendarFeed, token=token, revoked_at__isnull=True, user__is_active=True)
    body = ics.feed_ics(selectors.statewide_feed_events(now=timezone.now()), name="LEDS training events (statewide)")
    return HttpResponse(body, content_type=CALENDAR_TYPE)


@require_POST
@role_required(ANY_ROLE)
def feed_issue(request):
    person = request.access.person
    if person is None:
        messages.error(request, "Your sign-in is not linked to a person record.")
    else:
        services.issue_calendar_feed(person=person)
        messages.success(request, "A new calendar address was made; any earlier one no longer works.")
    return redirect("training_events:my_calendar")


@require_POST
@role_required(ANY_ROLE)
def feed_revoke(request):
    person = request.access.person
    if person is not None:
        services.revoke_calendar_feeds(person=person)
    messages.success(request, "Your calendar address no longer works.")
    return redirect("training_events:my_calendar")


def feed(request, token):
    """The secret-token iCalendar feed: calendar apps cannot sign in, so the token is the credential."""
    calendar_feed = get_object_or_404(CalendarFeed.objects.select_related("person"), token=token,
                                      revoked_at__isnull=True)
    body = ics.feed_ics(selectors.feed_events(person=calendar_feed.person), name="LEDS training events")
    return HttpResponse(body, content_type=CALENDAR_TYPE)


def _with_decision_forms(host_requests):
    """Each pending offer's own "note to the agency" field (its own id), for the accept/decline row form."""
    for host_request in host_requests:
        host_request.decision_form = DecisionForm(auto_id=f"offer-{host_request.pk}-%s")
    return host_requests


@role_required(HOST_READERS)
def host_request_list(request):
    page = Paginator(selectors.host_requests_for(user=request.user), 50).get_page(request.GET.get("page"))
    _with_decision_forms(page.object_list)
    context = {
        "host_requests": page, "can_offer": has_role(request, LEDS_REPRESENTATIVE_ONLY),
        "is_training_unit": has_role(request, TRAINING_UNIT),
    }
    return render(request, "training_events/host_requests.html", context)


@role_required(LEDS_REPRESENTATIVE_ONLY)
def host_request_create(request):
    form = HostRequestForm(request.POST or None)
    if request.method == "POST":
        ok, _ = call_service(form, services.request_to_host, agency=request.agency, actor=request.user)
        if ok:
            messages.success(request, "Your offer was sent to the CJIS Training Unit.")
            return redirect("training_events:host_requests")
    return render(request, "training_events/host_request_form.html", {"form": form})


@role_required(TRAINING_UNIT)
def inbox(request):
    """The training unit's inbox: offers waiting for a decision, and what arrived since the last daily digest."""

    since = digest.last_digest_at()
    _offers, registrations = digest.new_since(user=request.user, since=since)
    pending = selectors.host_requests_for(user=request.user).filter(status=HostRequest.Status.PENDING)
    context = {
        "since": since,
        "pending": _with_decision_forms(list(pending.order_by("requested_at", "pk")[:50])),  # the rest: hosting page
        "pending_count": pending.count(),
        "registrations": Paginator(registrations, 50).get_page(request.GET.get("page")),
    }
    return render(request, "training_events/inbox.html", context)


@require_POST
@role_required(TRAINING_UNIT)
def host_request_decide(request, pk):
    host_request = get_object_or_404(HostRequest.objects.for_user(request.user), pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_host_request(host_request_id=host_request.pk, accept=accept, actor=request.user, note=note)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if accept:
            messages.success(request, f"The agency has been told. Now publish the event at {host_request.venue_name}: "
                                      "the venue is filled in.")
            return redirect(f"{reverse('training_events:create')}?host_request={host_request.pk}")
        messages.success(request, "The agency has been told.")
    return redirect("training_events:inbox" if request.POST.get("next") == "inbox" else "training_events:host_requests")
