from django.core.files.base import ContentFile
from django.urls import reverse

from agreements.factories import AgreementFactory
from tests.matrix import LEDS_REP, PEOPLE_READERS, Row


def _agreement(w):
    return AgreementFactory(agency=w.agency)


def _with_document(w):
    agreement = _agreement(w)
    agreement.document.save("signed.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    agreement.document_name = "signed.pdf"
    agreement.save()
    return agreement


def _on(name, factory=_agreement, **kwargs):
    return Row(lambda w: reverse(name, args=[factory(w).pk]), **kwargs)


# the LEDS Representative keeps the register; every member of the agency and the auditors read it (R-AGR-1)
ROWS = {
    "agreements:list": Row(lambda w: reverse("agreements:list"), ok=PEOPLE_READERS, foreign=200),
    "agreements:create": Row(lambda w: reverse("agreements:create"), ok=LEDS_REP, foreign=200),
    "agreements:detail": _on("agreements:detail", ok=PEOPLE_READERS),
    "agreements:edit": _on("agreements:edit", ok=LEDS_REP),
    # an empty form: the LEDS Representative gets the page back with the errors (400)
    "agreements:void": _on("agreements:void", ok=LEDS_REP, ok_status=400, method="post"),
    "agreements:party_add": _on("agreements:party_add", ok=LEDS_REP, ok_status=400, method="post"),
    "agreements:signatory_add": _on("agreements:signatory_add", ok=LEDS_REP, ok_status=400, method="post"),
    "agreements:review_add": _on("agreements:review_add", ok=LEDS_REP, ok_status=400, method="post"),
    "agreements:document_upload": _on("agreements:document_upload", ok=LEDS_REP, ok_status=400, method="post"),
    "agreements:document": _on("agreements:document", _with_document, ok=PEOPLE_READERS),
}
