import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.matrix import AGENCY_READERS, EVERY_ROLE, LEDS_REP, Row
from validations.factories import ContactLogFactory, ValidationCycleFactory, ValidationEntryFactory, record_type

# the assigned validator is the world's employee: they work their own entry; the readers read it; the supervisor
# (whose chain holds the employee) and the training unit see nothing of it (404)
WORKERS = frozenset({"leds_rep", "employee"})
ENTRY_READERS = AGENCY_READERS | {"employee"}
NOT_THEIRS = {"supervisor": 404, "training_unit": 404}
READ_ONLY = {"laso": 403, "agency_auditor": 403, "state_auditor": 403}


def _cycle(w, **kwargs):
    return ValidationCycleFactory(agency=w.agency, **kwargs)


def _certified_cycle(w):
    cycle = _cycle(w)
    ValidationEntryFactory(cycle=cycle, record_type=record_type("EG"), validator=w.target,
                           is_reviewed_against_case_file=True, outcome="validated",
                           outcome_on=datetime.date(2026, 10, 9))
    cycle.certified_name, cycle.certified_title = "Pat Rep", "LEDS Representative"
    cycle.certified_on, cycle.certified_at = datetime.date(2026, 10, 20), datetime.datetime.now(datetime.UTC)
    cycle.save()
    return cycle


def _entry(w):
    return ValidationEntryFactory(cycle=_cycle(w), validator=w.target)


def _contact(w):
    return ContactLogFactory(entry=_entry(w))


def _assign_data(w):
    from certification.factories import CertificationResultFactory

    CertificationResultFactory(person=w.target, passed_on=datetime.date(2025, 6, 1))
    return {"validator": w.target.pk, "scope": "unassigned", "mke": "", "limit": ""}


def _procedure(w):
    """A procedure version of the agency: one per world (a test may walk several rows in one world)."""
    from validations.models import ProcedureDocument
    from validations.services import upload_procedure

    existing = ProcedureDocument.objects.filter(agency=w.agency, voided_at__isnull=True).first()
    if existing is not None:
        return existing
    return upload_procedure(agency=w.agency, title="Validation procedure", version="1",
                            effective_on=datetime.date(2025, 1, 1), actor=None,
                            upload=SimpleUploadedFile("procedure.pdf", b"%PDF-1.4 matrix"))


CONTACT = {"who": "Complainant", "method": "phone", "contacted_on": "2026-11-10", "result": "Still wanted"}

ROWS = {
    "validations:cycles": Row(lambda w: reverse("validations:cycles"), ok=AGENCY_READERS, foreign=200),
    "validations:import": Row(lambda w: reverse("validations:import"), ok=LEDS_REP, foreign=200),
    # no kept upload: the confirmation says the upload expired and goes back to the upload page
    "validations:import_confirm": Row(lambda w: reverse("validations:import_confirm"), ok=LEDS_REP, ok_status=302,
                                      method="post", foreign=302, data={"received_on": "2026-11-02"}),
    "validations:cycle": Row(lambda w: reverse("validations:cycle", args=[_entry(w).cycle_id]), ok=AGENCY_READERS),
    "validations:assign": Row(lambda w: reverse("validations:assign", args=[_entry(w).cycle_id]), ok=LEDS_REP,
                              ok_status=302, method="post", data=_assign_data),
    "validations:certify": Row(lambda w: reverse("validations:certify", args=[_entry(w).cycle_id]), ok=LEDS_REP),
    "validations:certification_pdf": Row(lambda w: reverse("validations:certification_pdf",
                                                           args=[_certified_cycle(w).pk]), ok=AGENCY_READERS),
    "validations:worklist": Row(lambda w: reverse("validations:worklist"), ok=EVERY_ROLE, foreign=200),
    "validations:entry": Row(lambda w: reverse("validations:entry", args=[_entry(w).pk]), ok=ENTRY_READERS,
                             overrides=NOT_THEIRS),
    "validations:contact_add": Row(lambda w: reverse("validations:contact_add", args=[_entry(w).pk]), ok=WORKERS,
                                   ok_status=302, method="post", data=CONTACT, overrides={**NOT_THEIRS, **READ_ONLY}),
    "validations:contact_void": Row(lambda w: reverse("validations:contact_void", args=[_contact(w).pk]),
                                    ok=WORKERS, ok_status=302, method="post", data={"reason": "wrong entry"},
                                    overrides={**NOT_THEIRS, **READ_ONLY}),
    "validations:amend": Row(lambda w: reverse("validations:amend", args=[_certified_cycle(w).entries.get().pk]),
                             ok=LEDS_REP),
    "validations:register": Row(lambda w: reverse("validations:register"), ok=AGENCY_READERS, foreign=200),
    "validations:register_add": Row(lambda w: reverse("validations:register_add"), ok=LEDS_REP, foreign=200),
    "validations:procedure": Row(lambda w: reverse("validations:procedure"), ok=AGENCY_READERS, foreign=200),
    "validations:procedure_download": Row(lambda w: reverse("validations:procedure_download",
                                                            args=[_procedure(w).pk]), ok=AGENCY_READERS),
    "validations:procedure_void": Row(lambda w: reverse("validations:procedure_void", args=[_procedure(w).pk]),
                                      ok=LEDS_REP, ok_status=302, method="post", data={"reason": "wrong file"}),
}
