from django.urls import reverse

from people.models import ImportJob
from tests.matrix import AGENCY_READERS, EVERY_ROLE, LEDS_REP, PEOPLE_READERS, Row


def _job(world):
    return ImportJob.objects.create(agency=world.agency, uploaded_by=world.users["leds_rep"], kind="roster",
                                    filename="hr.csv", data=b"employee_id\n", status=ImportJob.Status.PLANNING)


ROWS = {
    "home": Row(lambda w: reverse("home"), ok=EVERY_ROLE, foreign=200),
    "people:roster": Row(lambda w: reverse("people:roster"), ok=PEOPLE_READERS, foreign=200),
    "people:roster_export": Row(lambda w: reverse("people:roster_export"), ok=AGENCY_READERS, foreign=200),
    # the person picker's matches (issue 23): every role, scoped like every read (an employee finds themself)
    "people:search": Row(lambda w: reverse("people:search") + "?q=Tester", ok=EVERY_ROLE, foreign=200),
    "people:create": Row(lambda w: reverse("people:create"), ok=LEDS_REP, foreign=200),
    "people:import": Row(lambda w: reverse("people:import"), ok=LEDS_REP, foreign=200),
    # POST-only: a LEDS Representative without a kept upload is sent back to the upload page
    "people:import_confirm": Row(lambda w: reverse("people:import_confirm"), ok=LEDS_REP, ok_status=302,
                                 method="post", foreign=302),
    # a large upload's progress and preview (issue 17): the uploader's own only; the LASO, who imports too, gets a
    # 404 for the LEDS Representative's upload, like another agency
    "people:import_job": Row(lambda w: reverse("people:import_job", args=[_job(w).pk]), ok=LEDS_REP,
                             overrides={"laso": 404}),
    "people:history": Row(lambda w: reverse("people:history", args=[w.target.pk]), ok=PEOPLE_READERS),
    "people:detail": Row(lambda w: reverse("people:detail", args=[w.target.pk]), ok=PEOPLE_READERS),
    "people:edit": Row(lambda w: reverse("people:edit", args=[w.target.pk]), ok=LEDS_REP),
    "people:separate": Row(lambda w: reverse("people:separate", args=[w.target.pk]), ok=LEDS_REP),
    "people:agency": Row(lambda w: reverse("people:agency"), ok=EVERY_ROLE, foreign=200),
    "people:agency_edit": Row(lambda w: reverse("people:agency_edit"), ok=LEDS_REP, foreign=200),
    "people:agency_list": Row(
        lambda w: reverse("people:agency_list"), ok=frozenset({"state_auditor", "training_unit"}), foreign=403
    ),
    "people:agency_select": Row(
        lambda w: reverse("people:agency_select", args=[w.agency.pk]), ok=EVERY_ROLE, ok_status=302,
        method="post",
    ),
}
