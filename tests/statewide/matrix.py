from django.urls import reverse

from tests.matrix import Row

STATE = frozenset({"state_auditor", "training_unit"})
STATE_AUDITOR = frozenset({"state_auditor"})

# the statewide pages: the state's program officers only; every agency role (and another agency's) gets 403
ROWS = {
    "statewide:dashboard": Row(lambda w: reverse("statewide:dashboard"), ok=STATE, foreign=403),
    "statewide:export": Row(lambda w: reverse("statewide:export"), ok=STATE, foreign=403),
    "statewide:audits": Row(lambda w: reverse("statewide:audits"), ok=STATE, foreign=403),
    # an empty form: the calendar comes back with the error (400); nothing is recorded
    "statewide:audit_record": Row(lambda w: reverse("statewide:audit_record", args=[w.agency.pk]), ok=STATE_AUDITOR,
                                  ok_status=400, method="post", foreign=403),
}
