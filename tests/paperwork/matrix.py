from django.urls import reverse

from tests.matrix import Row

READERS = frozenset({"leds_rep", "agency_auditor", "state_auditor"})
LEDS_REP_ONLY = frozenset({"leds_rep"})


def _certificate(w):
    """A certificate issued to the target person, who passed in 2025."""
    from certification.factories import CertificationResultFactory
    from paperwork import services

    CertificationResultFactory(person=w.target)
    return services.issue_certificate(person=w.target, actor=w.users["leds_rep"], today=w.target.assigned_on.replace(
        year=2026, month=12, day=1))


def _class_with_certificate(w):
    from certification.factories import CertificationClassFactory, CertificationResultFactory, EnrollmentFactory
    from paperwork import services

    certification_class = CertificationClassFactory(agency=w.agency)
    EnrollmentFactory(certification_class=certification_class, person=w.target, attendance="attended",
                      result="pass", score=90, passed_level=certification_class.level)
    CertificationResultFactory(person=w.target)
    services.issue_class_certificates(certification_class=certification_class, actor=w.users["leds_rep"],
                                      today=w.target.assigned_on.replace(year=2026, month=12, day=1))
    return certification_class


def _class(w):
    from certification.factories import CertificationClassFactory

    return CertificationClassFactory(agency=w.agency)


ROWS = {
    # issuing stores a document: the LEDS Representative only; another agency's person is a 404
    "paperwork:issue": Row(lambda w: reverse("paperwork:issue", args=[w.target.pk, "transcript"]),
                           ok=LEDS_REP_ONLY, ok_status=302, method="post"),
    "paperwork:download": Row(lambda w: reverse("paperwork:download", args=[_certificate(w).pk]), ok=READERS),
    # the lookup page of one's own agency: another agency's user sees the page, and no document of ours
    "paperwork:verify": Row(lambda w: reverse("paperwork:verify"), ok=READERS, foreign=200),
    "paperwork:class_issue": Row(lambda w: reverse("paperwork:class_issue", args=[_class(w).pk]),
                                 ok=LEDS_REP_ONLY, ok_status=302, method="post"),
    "paperwork:class_download": Row(lambda w: reverse("paperwork:class_download",
                                                      args=[_class_with_certificate(w).pk]), ok=READERS),
}


REQUEST_READERS = frozenset({"leds_rep", "laso", "agency_auditor", "state_auditor"})
REQUEST_WRITERS = frozenset({"leds_rep", "laso"})


def _batch(w):
    """A batch holding a request for a new WebLEDS account of the target person."""
    from django.utils import timezone

    from paperwork import services
    from people.factories import PersonFactory
    from state_access.factories import StateAccountFactory

    # a person of its own: other rows give the target person a WebLEDS account, and one may be open at a time
    account = StateAccountFactory(person=PersonFactory(agency=w.agency, last_name="Requested"), status="requested")
    return services.produce_request_batch(agency=w.agency, tokens=[f"create:{account.pk}"],
                                          actor=w.users["leds_rep"], today=timezone.localdate())


ROWS |= {
    "paperwork:osp_requests": Row(lambda w: reverse("paperwork:osp_requests"), ok=REQUEST_READERS, foreign=200),
    # a request list from another agency's point of view: nothing of ours is in it, so nothing is sent (302 back)
    "paperwork:osp_batch_create": Row(lambda w: reverse("paperwork:osp_batch_create"), ok=REQUEST_WRITERS,
                                      ok_status=302, method="post", foreign=302),
    "paperwork:osp_batch": Row(lambda w: reverse("paperwork:osp_batch", args=[_batch(w).pk]), ok=REQUEST_READERS),
    "paperwork:osp_batch_pdf": Row(lambda w: reverse("paperwork:osp_batch_pdf", args=[_batch(w).pk]),
                                   ok=REQUEST_READERS),
    "paperwork:osp_batch_export": Row(lambda w: reverse("paperwork:osp_batch_export", args=[_batch(w).pk]),
                                      ok=REQUEST_READERS),
    "paperwork:osp_answer": Row(lambda w: reverse("paperwork:osp_answer", args=[_batch(w).requests.get().pk]),
                                ok=REQUEST_WRITERS, ok_status=302, method="post"),
}
