"""Text with line breaks cannot break a calendar file, a registration or the feed (issue 17)."""

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from certification.factories import CertificationClassFactory
from certification.ics import class_ics
from common.ics import multi_line, one_line
from notifications.services import deliver_batch
from training_events import ics, services
from training_events.factories import TrainingEventFactory
from training_events.models import Registration

pytestmark = pytest.mark.django_db

TITLE = "Security awareness\r\nX-INJECTED:1\rpart two\ntoo"
VENUE = "Room 1\r\nBEGIN:VEVENT"


def test_one_line_and_multi_line():
    assert one_line("a\r\nb\rc\nd\u2028e\x00f\tg") == "a b c d e f g"
    assert multi_line("a\r\nb\rc\x00") == "a\nb\nc"
    assert one_line(None) == ""


def _lines(payload: bytes) -> list[str]:
    return payload.decode().split("\r\n")


def test_a_registration_for_an_event_with_line_breaks_goes_through_and_the_feed_parses(
        world, login, django_capture_on_commit_callbacks):
    event = TrainingEventFactory(title=TITLE, venue_name=VENUE, venue_address="1 Main St\nSalem",
                                 description="Line one\r\nLine two")
    person = world.people["employee"]
    person.first_name, person.last_name = "Ann\r\nBcc: x@example.org", "Lee\rY"
    person.save()
    client = login(world.users["employee"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("training_events:register", args=[event.pk]))
    assert response.status_code == 302
    registration = Registration.objects.get(event=event, person=person)
    assert registration.status == Registration.Status.CONFIRMED
    deliver_batch()
    sent = [m for m in mail.outbox if person.email in m.to]
    assert sent and "\n" not in sent[0].subject and "Security awareness X-INJECTED:1 part two too" in sent[0].subject
    attachment = sent[0].attachments[0]
    calendar = Calendar.from_ical(attachment[1] if isinstance(attachment, tuple) else attachment.content)
    entry = calendar.walk("VEVENT")[0]
    assert str(entry["summary"]) == "Security awareness X-INJECTED:1 part two too"
    assert str(entry["location"]) == "Room 1 BEGIN:VEVENT, 1 Main St Salem"
    assert str(entry["description"]).startswith("Line one\nLine two")
    assert len(calendar.walk("VEVENT")) == len(event.days.all())  # no event smuggled in
    # a content line never starts with an injected property
    payload = ics.event_ics(event)
    assert not any(line.startswith(("X-INJECTED", "BEGIN:VEVENT\r")) for line in _lines(payload))
    assert f"X-WR-CALNAME:{one_line(TITLE)}" in payload.decode()
    feed = services.issue_calendar_feed(person=person)
    response = client.get(reverse("training_events:feed", args=[feed.token]))
    assert response.status_code == 200
    summaries = [str(e["summary"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert "Security awareness X-INJECTED:1 part two too" in summaries


def test_feed_name_with_line_breaks_is_folded():
    calendar = Calendar.from_ical(ics.feed_ics([], name="Training of Ann\r\nLee"))
    assert str(calendar["x-wr-calname"]) == "Training of Ann Lee"


def test_a_class_calendar_with_line_breaks_parses(world):
    certification_class = CertificationClassFactory(agency=world.agency, location="Room\r\n2",
                                                    instructor="Pat\nDTSTART:19700101", notes="Bring ID\rand pen")
    entry = Calendar.from_ical(class_ics(certification_class)).walk("VEVENT")[0]
    assert str(entry["location"]) == "Room 2"
    assert str(entry["description"]).startswith("Instructor: Pat DTSTART:19700101\n")
    assert entry.decoded("dtstart").year == 2026
