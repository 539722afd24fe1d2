from django.urls import reverse

from tests.matrix import AGENCY_READERS, Row

ROWS = {
    # POST-only: the roles that may record get 405 on GET; the others 403; another agency's person 404
    "certification:record": Row(
        lambda w: reverse("certification:record", args=[w.target.pk, "certification"]), ok=frozenset({"leds_rep"}),
        method="post", ok_status=302,
    ),
    "certification:import": Row(lambda w: reverse("certification:import"), ok=frozenset({"leds_rep", "laso"}),
                                foreign=200),
    "certification:import_confirm": Row(lambda w: reverse("certification:import_confirm"),
                                        ok=frozenset({"leds_rep", "laso"}), ok_status=302, method="post",
                                        foreign=302),
    "certification:incidents": Row(lambda w: reverse("certification:incidents"), ok=AGENCY_READERS, foreign=200),
    "certification:incident_create": Row(
        lambda w: reverse("certification:incident_create"), ok=frozenset({"leds_rep", "laso"}), foreign=200
    ),
}


def _class(w):
    from certification.factories import CertificationClassFactory

    return CertificationClassFactory(agency=w.agency)


def _enrollment(w):
    """The employee on a class roster: the agency's roles, the supervisor and the employee see it."""
    from certification.factories import EnrollmentFactory

    return EnrollmentFactory(certification_class=_class(w), person=w.target)


LEDS_REP_ONLY = frozenset({"leds_rep"})
SEES_ENROLLMENT = frozenset({"leds_rep", "laso", "agency_auditor", "state_auditor", "supervisor", "employee"})

ROWS |= {
    # in-house certification classes (R-CE-5): the LEDS Representative schedules and records, LASO and auditors read
    "certification:class_list": Row(lambda w: reverse("certification:class_list"), ok=AGENCY_READERS, foreign=200),
    "certification:class_create": Row(lambda w: reverse("certification:class_create"), ok=LEDS_REP_ONLY,
                                      foreign=200),
    "certification:class_detail": Row(lambda w: reverse("certification:class_detail", args=[_class(w).pk]),
                                      ok=AGENCY_READERS),
    "certification:class_edit": Row(lambda w: reverse("certification:class_edit", args=[_class(w).pk]),
                                    ok=LEDS_REP_ONLY),
    "certification:class_cancel": Row(lambda w: reverse("certification:class_cancel", args=[_class(w).pk]),
                                      ok=LEDS_REP_ONLY),
    "certification:class_roster_add": Row(lambda w: reverse("certification:class_roster_add", args=[_class(w).pk]),
                                          ok=LEDS_REP_ONLY),
    "certification:class_roster_pdf": Row(lambda w: reverse("certification:class_roster_pdf", args=[_class(w).pk]),
                                          ok=AGENCY_READERS),
    "certification:class_results_export": Row(
        lambda w: reverse("certification:class_results_export", args=[_class(w).pk]), ok=AGENCY_READERS),
    # POST-only writes on one enrollment: the LEDS Representative is redirected back to the class (a refused
    # write says why there); readers get 403; another agency's LEDS Representative 404
    "certification:enrollment_result": Row(
        lambda w: reverse("certification:enrollment_result", args=[_enrollment(w).pk]), ok=LEDS_REP_ONLY,
        ok_status=302, method="post"),
    "certification:enrollment_recorded_in_leds": Row(
        lambda w: reverse("certification:enrollment_recorded_in_leds", args=[_enrollment(w).pk]), ok=LEDS_REP_ONLY,
        ok_status=302, method="post"),
    "certification:enrollment_withdraw": Row(
        lambda w: reverse("certification:enrollment_withdraw", args=[_enrollment(w).pk]), ok=LEDS_REP_ONLY,
        ok_status=302, method="post"),
    # the class's calendar file: whoever may see the enrollment (the employee, their supervisor, the agency's
    # roles); the training unit holds no agency role here, so the enrollment does not exist for it
    "certification:enrollment_ics": Row(
        lambda w: reverse("certification:enrollment_ics", args=[_enrollment(w).pk]), ok=SEES_ENROLLMENT,
        overrides={"training_unit": 404}),
}
