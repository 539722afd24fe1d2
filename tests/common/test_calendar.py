"""Classes and training events write their calendar files and send their notices through one helper (issue 16):
common.ics.calendar_file writes every file, notifications.services.queue_notice attaches it. Each file a person
can receive — download, feed, the e-mail of an enrollment, a registration or a cancellation — is a valid
RFC 5545 calendar, and class and event files have the same shape."""

import datetime

import pytest
from icalendar import Calendar

from certification import ics as class_calendar
from certification import services as classes
from certification.factories import CertificationClassFactory
from common.ics import CONTENT_TYPE
from notifications.models import OutboxMessage
from people.factories import PersonFactory
from training_events import ics as event_calendar
from training_events import services as events
from training_events.factories import TrainingEventFactory

pytestmark = pytest.mark.django_db

CLASS_DAY = datetime.date(2026, 11, 16)
SINGLE_LINE = ("PRODID", "VERSION", "METHOD", "X-WR-CALNAME", "UID", "SUMMARY", "LOCATION", "STATUS")


def _assert_valid(payload: bytes) -> Calendar:
    """RFC 5545 as a calendar client reads it: CRLF content lines of at most 75 octets, balanced components, the
    calendar's required properties, and every VEVENT complete, with the zone of its times in the file."""
    assert payload.endswith(b"\r\n")
    lines = payload.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "a content line longer than 75 octets"
    assert not any(b"\r" in line or b"\n" in line for line in lines), "a bare CR or LF inside a content line"
    unfolded = payload.replace(b"\r\n ", b"").decode().split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    open_components = []
    for line in unfolded:
        if line.startswith("BEGIN:"):
            open_components.append(line[6:])
        elif line.startswith("END:"):
            assert open_components.pop() == line[4:]
    assert not open_components
    calendar = Calendar.from_ical(payload)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]).startswith("-//LEDS Admin//")
    assert str(calendar["METHOD"]) == "PUBLISH"
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    for entry in calendar.walk("VEVENT"):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "STATUS"):
            assert name in entry, f"VEVENT without {name}"
        starts, ends = entry.decoded("DTSTART"), entry.decoded("DTEND")
        assert starts.tzinfo is not None and starts < ends
        assert entry["DTSTART"].params["TZID"] in zones
    for component in calendar.walk():
        for name in SINGLE_LINE:
            assert "\n" not in str(component.get(name, "")), f"{name} spans lines"
    return calendar


def _shape(calendar: Calendar) -> tuple:
    events_ = calendar.walk("VEVENT")
    return (sorted(set(calendar.keys()) - {"X-WR-CALNAME"}), sorted({tuple(sorted(e.keys())) for e in events_}))


def _attachments(**lookup) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(**lookup)
    assert rows, lookup
    return [(a["mimetype"], a["content"]) for row in rows for a in row.attachments]


def test_classes_and_events_write_valid_calendars_and_notices_through_one_helper(
        world, django_capture_on_commit_callbacks):
    certification_class = CertificationClassFactory(agency=world.agency, held_on=CLASS_DAY, capacity=4,
                                                    location="Room\r\n2", instructor="Pat\nDTSTART:19700101")
    event = TrainingEventFactory(title="Security awareness\r\nX-INJECTED:1", venue_name="Room 1\r\nBEGIN:VEVENT",
                                 seat_cap=3, day_count=2)
    person = PersonFactory(agency=world.agency, email="dana.doe@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        (enrollment,) = classes.enroll_people(class_id=certification_class.pk, people=[person],
                                              actor=world.users["leds_rep"], today=CLASS_DAY - datetime.timedelta(1))
        registration = events.register_for_event(event_id=event.pk, person=person)

    class_file = _assert_valid(class_calendar.class_ics(certification_class).encode())
    event_file = _assert_valid(event_calendar.event_ics(event))
    feed = _assert_valid(event_calendar.feed_ics([event], name="Training of Ann\r\nLee"))
    assert _assert_valid(event_calendar.feed_ics([], name="Nothing booked")).walk("VEVENT") == []
    assert _shape(class_file) == _shape(event_file) == _shape(feed)  # one writer for both apps
    assert str(feed["X-WR-CALNAME"]) == "Training of Ann Lee"
    assert [str(e["LOCATION"]) for e in event_file.walk("VEVENT")] == ["Room 1 BEGIN:VEVENT, 676 SW 5th Ave, "
                                                                      "Ontario, OR 97914"] * 2
    assert str(class_file.walk("VEVENT")[0]["LOCATION"]) == "Room 2"

    # the notices: each attachment is such a file, and says the method its file says
    sent = (_attachments(key=f"certification-class-enrollment:{enrollment.pk}")
            + _attachments(person=person, subject__startswith="Registered: "))
    with django_capture_on_commit_callbacks(execute=True):
        classes.cancel_class(class_id=certification_class.pk, reason="Instructor out sick",
                             actor=world.users["leds_rep"])
        events.cancel_event(event_id=event.pk, reason="Venue closed", actor=world.users["training_unit"])
    cancellations = (_attachments(key=f"certification-class-cancelled:{enrollment.pk}")
                     + _attachments(key=f"training-event-cancelled:{registration.pk}"))
    assert len(sent) == len(cancellations) == 2
    for mimetype, content in sent + cancellations:
        assert mimetype == CONTENT_TYPE
        calendar = _assert_valid(content.encode())
        assert f"method={calendar['METHOD']}" in mimetype
    # a cancellation is the same entries (same UIDs: the calendar removes them), every one CANCELLED
    for (_, before), (_, after) in zip(sent, cancellations, strict=True):
        before_entries = Calendar.from_ical(before).walk("VEVENT")
        after_entries = Calendar.from_ical(after).walk("VEVENT")
        assert [str(e["UID"]) for e in after_entries] == [str(e["UID"]) for e in before_entries]
        assert {str(e["STATUS"]) for e in before_entries} == {"CONFIRMED"}
        assert {str(e["STATUS"]) for e in after_entries} == {"CANCELLED"}
