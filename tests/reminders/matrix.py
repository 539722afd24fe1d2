from django.urls import reverse

from tests.matrix import LEDS_REP, Row

ROWS = {
    # the foreign agency's LEDS Representative sees their own agency's list, never ours (test_unreachable.py)
    "reminders:unreachable": Row(lambda w: reverse("reminders:unreachable"), ok=LEDS_REP, foreign=200),
}
