from django.urls import reverse

from tests.matrix import AGENCY_READERS, Row

ROWS = {
    # POST-only: the roles that may record get 405 on GET; the others 403; another agency's person 404
    "certification:record": Row(
        lambda w: reverse("certification:record", args=[w.target.pk, "certification"]), ok=frozenset({"leds_rep"}),
        method="post", ok_status=302,
    ),
    "certification:import": Row(lambda w: reverse("certification:import"), ok=frozenset({"leds_rep"}), foreign=200),
    "certification:import_confirm": Row(lambda w: reverse("certification:import_confirm"),
                                        ok=frozenset({"leds_rep"}), ok_status=302, method="post", foreign=302),
    "certification:incidents": Row(lambda w: reverse("certification:incidents"), ok=AGENCY_READERS, foreign=200),
    "certification:incident_create": Row(
        lambda w: reverse("certification:incident_create"), ok=frozenset({"leds_rep", "laso"}), foreign=200
    ),
}
