"""Certificates and transcripts (issue 21): issued by a POST that stores them, verified by code, read-only downloads."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from certification.factories import (
    CertificationClassFactory,
    CertificationResultFactory,
    EnrollmentFactory,
    SecurityAwarenessCompletionFactory,
    TrainingGuideIssueFactory,
)
from paperwork import selectors, services
from paperwork.models import IssuedDocument
from people.factories import PersonFactory

TODAY = date(2026, 12, 1)


def pdf_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split())


def pdf_pages(response) -> int:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(PdfReader(io.BytesIO(body)).pages)


def test_certificate_issued_from_the_page_resolves_by_its_code(world, login, client):
    CertificationResultFactory(person=world.target, passed_on=date(2025, 6, 1))
    login(world.users["leds_rep"])
    page = client.get(reverse("people:detail", args=[world.target.pk])).content.decode()
    assert "Issue certificate" in page and "No certificate or transcript has been issued." in page
    response = client.post(reverse("paperwork:issue", args=[world.target.pk, "certificate"]))
    assert response.status_code == 302
    document = IssuedDocument.objects.get(person=world.target)
    assert document.kind == "certificate"
    assert document.content["expires_on"] == "2027-06-01"  # R-CE-4: 24 months after the pass
    assert document.content["records"][0]["kind"] == "certification"
    assert document.history.first().history_change_reason.startswith("Certificate of LEDS certification issued")

    # typed in lower case without dashes, the code still resolves, naming who issued it and from what
    typed = document.code.replace("-", "").lower()
    page = client.get(reverse("paperwork:verify"), {"code": typed})
    assert page.status_code == 200
    assert "Issued by LEDS Admin" in page.content.decode()
    assert document.content["records"][0]["text"] in page.content.decode()

    text = pdf_text(client.get(reverse("paperwork:download", args=[document.pk])))
    assert "Certificate of LEDS certification" in text
    assert world.target.employee_id in text and document.code in text and "2027-06-01" in text


def test_a_forged_code_and_another_agencys_code_do_not_resolve(world, login, client):
    CertificationResultFactory(person=world.foreign_person)
    foreign_document = services.issue_certificate(person=world.foreign_person, actor=world.users["foreign"],
                                                  today=TODAY)
    login(world.users["leds_rep"])
    for code in ("ABCD-EFGH-JKMN", foreign_document.code):
        page = client.get(reverse("paperwork:verify"), {"code": code})
        assert "Not a document of this agency" in page.content.decode()
        assert "Issued by LEDS Admin" not in page.content.decode()
    assert selectors.find_document(user=world.users["foreign"], code=foreign_document.code) == foreign_document


def test_no_certificate_without_a_current_certification(world, login, client):
    CertificationResultFactory(person=world.target, passed_on=date(2024, 6, 1))  # expired 2026-06-01
    login(world.users["leds_rep"])
    response = client.post(reverse("paperwork:issue", args=[world.target.pk, "certificate"]), follow=True)
    assert "expired on Jun 1, 2026" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_downloading_an_issued_document_writes_nothing(world, login, client):
    CertificationResultFactory(person=world.target)
    document = services.issue_transcript(person=world.target, actor=world.users["leds_rep"], today=TODAY)
    login(world.users["agency_auditor"])
    before = (IssuedDocument.objects.count(), IssuedDocument.history.count())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("paperwork:download", args=[document.pk]))
        pdf_text(response)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
              and "django_session" not in q["sql"] and "security" not in q["sql"]]
    assert response.status_code == 200
    assert writes == []
    assert (IssuedDocument.objects.count(), IssuedDocument.history.count()) == before


def test_transcript_lists_every_record_on_file_and_no_voided_one(world, login, client):
    person = world.target
    CertificationResultFactory(person=person, passed_on=date(2022, 5, 2), score=84)
    CertificationResultFactory(person=person, passed_on=date(2024, 5, 3), score=93)
    CertificationResultFactory(person=person, passed_on=date(2023, 1, 9), voided_at=datetime(2023, 2, 1, tzinfo=UTC),
                               void_reason="typed on the wrong person")
    TrainingGuideIssueFactory(person=person, issued_on=date(2022, 3, 1), completed_on=date(2022, 4, 15))
    SecurityAwarenessCompletionFactory(person=person, completed_on=date(2026, 1, 5), tier=2)
    login(world.users["leds_rep"])
    client.post(reverse("paperwork:issue", args=[person.pk, "transcript"]))
    document = IssuedDocument.objects.get(person=person, kind="transcript")
    text = pdf_text(client.get(reverse("paperwork:download", args=[document.pk])))
    for expected in ("2022-05-02", "score 84", "2024-05-03", "score 93", "2022-03-01 LEDS training guide issued",
                     "2022-04-15 LEDS training guide completed", "2026-01-05 CJIS security awareness", document.code):
        assert expected in text, expected
    assert "2023-01-09" not in text  # the voided pass


def test_certificates_in_bulk_for_a_class_roster(world, login, client):
    certification_class = CertificationClassFactory(agency=world.agency, held_on=TODAY - timedelta(days=7))
    passed = [PersonFactory(agency=world.agency, last_name=name) for name in ("Adams", "Baker")]
    for person in passed:
        EnrollmentFactory(certification_class=certification_class, person=person, attendance="attended",
                          result="pass", score=88, passed_level=certification_class.level)
        CertificationResultFactory(person=person, passed_on=TODAY - timedelta(days=7))
    EnrollmentFactory(certification_class=certification_class, attendance="attended", result="fail", score=52)
    login(world.users["leds_rep"])
    response = client.post(reverse("paperwork:class_issue", args=[certification_class.pk]), follow=True)
    assert "2 certificates issued" in response.content.decode()
    documents = IssuedDocument.objects.filter(certification_class=certification_class)
    assert sorted(d.person.last_name for d in documents) == ["Adams", "Baker"]
    download = client.get(reverse("paperwork:class_download", args=[certification_class.pk]))
    assert pdf_pages(download) == 2
    text = pdf_text(download)
    assert all(d.code in text for d in documents)


@pytest.mark.parametrize("who", ["laso", "supervisor", "employee", "training_unit"])
def test_only_the_representative_issues(world, login, client, who):
    CertificationResultFactory(person=world.target)
    login(world.users[who])
    response = client.post(reverse("paperwork:issue", args=[world.target.pk, "certificate"]))
    assert response.status_code == 403
    assert not IssuedDocument.objects.exists()
