from django.urls import reverse

from tests.matrix import Row

ROWS = {
    # R-BG-4: only the LEDS Representative, the LASO and auditors read background records; a supervisor and an
    # employee are refused (403) even for a person they may otherwise see
    "background:person": Row(lambda w: reverse("background:person", args=[w.target.pk]),
                             ok=frozenset({"leds_rep", "laso", "agency_auditor", "state_auditor"})),
    "background:adjudicate": Row(lambda w: reverse("background:adjudicate", args=[w.check.pk]),
                                 ok=frozenset({"leds_rep", "laso"}), method="post", ok_status=302),
    "background:record_fingerprints": Row(
        lambda w: reverse("background:record_fingerprints", args=[w.target.pk]),
        ok=frozenset({"leds_rep", "laso"}), method="post", ok_status=302,
    ),
}
