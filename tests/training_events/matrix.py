from django.urls import reverse

from tests.matrix import EVERY_ROLE, LEDS_REP, Row
from training_events.factories import TrainingEventFactory
from training_events.models import HostRequest, Registration

TRAINING_UNIT = frozenset({"training_unit"})
READ_REGISTRATIONS = frozenset({"training_unit", "leds_rep", "laso", "agency_auditor", "state_auditor", "supervisor"})
HOST_READERS = frozenset({"training_unit", "state_auditor", "leds_rep", "laso", "agency_auditor"})


def _event(w):
    return TrainingEventFactory()


def _registration(w):
    """The employee's registration: the training unit, the agency's roles, the supervisor and the employee see it."""
    return Registration.objects.create(event=_event(w), person=w.target, status="confirmed", arrival=1)


def _host_request(w):
    return HostRequest.objects.create(agency=w.agency, venue_name="Salem PD", venue_address="333 Division St NE",
                                      capacity=30, proposed_dates="May 2027")


ROWS = {
    "training_events:list": Row(lambda w: reverse("training_events:list"), ok=EVERY_ROLE, foreign=200),
    "training_events:detail": Row(lambda w: reverse("training_events:detail", args=[_event(w).pk]), ok=EVERY_ROLE,
                                  foreign=200),
    "training_events:create": Row(lambda w: reverse("training_events:create"), ok=TRAINING_UNIT, foreign=403),
    # every role registers itself (one registration each, then "already registered" — still a redirect)
    "training_events:register": Row(lambda w: reverse("training_events:register", args=[_event(w).pk]),
                                    ok=EVERY_ROLE, ok_status=302, method="post", foreign=302),
    "training_events:registrations": Row(lambda w: reverse("training_events:registrations", args=[_event(w).pk]),
                                         ok=READ_REGISTRATIONS, foreign=200),
    "training_events:roster_export": Row(lambda w: reverse("training_events:roster_export", args=[_event(w).pk]),
                                         ok=READ_REGISTRATIONS, foreign=200),
    "training_events:event_edit": Row(lambda w: reverse("training_events:event_edit", args=[_event(w).pk]),
                                      ok=TRAINING_UNIT, foreign=403),
    "training_events:event_cancel": Row(lambda w: reverse("training_events:event_cancel", args=[_event(w).pk]),
                                        ok=TRAINING_UNIT, foreign=403),
    "training_events:attendance": Row(lambda w: reverse("training_events:attendance", args=[_event(w).pk]),
                                      ok=TRAINING_UNIT, foreign=403),
    # the employee's own registration: they, their LEDS Representative and the training unit may cancel; readers
    # who may not act get 403, the other agency 404 (first success cancels, later ones are told so — still 302)
    "training_events:cancel": Row(lambda w: reverse("training_events:cancel", args=[_registration(w).pk]),
                                  ok=frozenset({"employee", "leds_rep", "training_unit"}), ok_status=302,
                                  method="post", overrides={"state_auditor": 403, "laso": 403,
                                                            "agency_auditor": 403, "supervisor": 403}),
    "training_events:registration_ics": Row(
        lambda w: reverse("training_events:registration_ics", args=[_registration(w).pk]),
        ok=frozenset({"employee", "leds_rep", "laso", "agency_auditor", "supervisor", "state_auditor",
                      "training_unit"}),
    ),
    "training_events:my_calendar": Row(lambda w: reverse("training_events:my_calendar"), ok=EVERY_ROLE, foreign=200),
    "training_events:feed_issue": Row(lambda w: reverse("training_events:feed_issue"), ok=EVERY_ROLE, ok_status=302,
                                      method="post", foreign=302),
    "training_events:feed_revoke": Row(lambda w: reverse("training_events:feed_revoke"), ok=EVERY_ROLE,
                                       ok_status=302, method="post", foreign=302),
    # the token is the credential (calendar apps cannot sign in); an unknown token is a 404 for everyone
    "training_events:feed": Row(lambda w: reverse("training_events:feed", args=["not-a-token"]), ok=frozenset(),
                                denied=404, anonymous=404),
    "training_events:host_requests": Row(lambda w: reverse("training_events:host_requests"), ok=HOST_READERS,
                                         foreign=200),
    "training_events:host_request_create": Row(lambda w: reverse("training_events:host_request_create"),
                                               ok=LEDS_REP, foreign=200),
    "training_events:host_request_decide": Row(
        lambda w: reverse("training_events:host_request_decide", args=[_host_request(w).pk]), ok=TRAINING_UNIT,
        ok_status=302, method="post", foreign=403,
    ),
}

# the training unit's inbox (issue 20): the training unit only; every agency role, and the other agency's, 403
ROWS["training_events:inbox"] = Row(lambda w: reverse("training_events:inbox"), ok=TRAINING_UNIT, foreign=403)


def _save_the_date(w):
    return TrainingEventFactory(details_pending=True, venue_name="", seat_cap=None, registration_deadline_on=None)


# save the date (issue 20): the training unit completes it; every role asks to be told when registration opens
ROWS.update({
    "training_events:event_complete": Row(lambda w: reverse("training_events:event_complete",
                                                            args=[_save_the_date(w).pk]),
                                          ok=TRAINING_UNIT, foreign=403),
    "training_events:notify_me": Row(lambda w: reverse("training_events:notify_me", args=[_save_the_date(w).pk]),
                                     ok=EVERY_ROLE, ok_status=302, method="post", foreign=302),
    # the statewide calendar feed: every role makes and turns off its own address; the token is the credential
    "training_events:statewide_feed_issue": Row(lambda w: reverse("training_events:statewide_feed_issue"),
                                                ok=EVERY_ROLE, ok_status=302, method="post", foreign=302),
    "training_events:statewide_feed_revoke": Row(lambda w: reverse("training_events:statewide_feed_revoke"),
                                                 ok=EVERY_ROLE, ok_status=302, method="post", foreign=302),
    "training_events:statewide_feed": Row(lambda w: reverse("training_events:statewide_feed", args=["not-a-token"]),
                                          ok=frozenset(), denied=404, anonymous=404),
})
