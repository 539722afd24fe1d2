from django.urls import reverse

from tests.matrix import Row

ROWS = {
    "background:record_fingerprints": Row(
        lambda w: reverse("background:record_fingerprints", args=[w.target.pk]),
        ok=frozenset({"leds_rep", "laso"}), method="post", ok_status=302,
    ),
}
