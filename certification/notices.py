"""E-mail about in-house certification classes, through the outbox (R-CE-5).

Every message is queued inside the caller's transaction (it commits with the change or not at all) with a
business key, so a retried request never queues it twice. Each carries the class's .ics file: the same UID
every time, so a calendar updates (or, for a withdrawal, cancels) the one entry (notifications.queue_notice, as
training events send theirs).
"""

from __future__ import annotations

from common.dates import in_words
from notifications.services import queue_notice

from .ics import class_ics, class_times

ENROLLED, CHANGED, WITHDRAWN, CANCELLED = "enrolled", "changed", "withdrawn", "cancelled"
SUBJECTS = {
    ENROLLED: "LEDS certification class on {date}",
    CHANGED: "Changed: LEDS certification class on {date}",
    WITHDRAWN: "Taken off the roster: LEDS certification class on {date}",
    CANCELLED: "Cancelled: LEDS certification class on {date}",
}


def queue_class_notice(*, enrollment, kind: str, key: str):
    """Tell the person of their place in a class (``kind``: enrolled, changed, withdrawn, cancelled), with .ics."""
    person = enrollment.person
    if not person.email:
        return None  # nobody to tell; the class still shows on their page
    certification_class = enrollment.certification_class
    starts_at, ends_at = class_times(certification_class)
    context = {
        "kind": kind,
        "first_name": person.first_name,
        "level": str(certification_class.level),
        "when": f"{starts_at:%A, %B %-d, %Y, %-I:%M %p} to {ends_at:%-I:%M %p}",
        "time_zone": certification_class.agency.time_zone,
        "location": certification_class.location,
        "instructor": certification_class.instructor,
        "notes": certification_class.notes,
        "reason": certification_class.cancel_reason,
    }
    return queue_notice(
        to=person.email, subject=SUBJECTS[kind].format(date=in_words(certification_class.held_on)),
        template="email/certification/class_enrollment", context=context,
        calendar=("leds-class.ics", class_ics(certification_class, cancelled=kind in (WITHDRAWN, CANCELLED))),
        key=key, person=person, agency=certification_class.agency,
    )


def queue_enrollment_notice(*, enrollment):
    """The person was put on the roster."""
    return queue_class_notice(enrollment=enrollment, kind=ENROLLED,
                              key=f"certification-class-enrollment:{enrollment.pk}")
