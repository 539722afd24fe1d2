import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.factories import AgreementFactory
from agreements.models import Agreement

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%test\n"


def test_rep_adds_an_agreement_and_it_is_listed(world, login, client):
    login(world.users["leds_rep"])
    response = client.post(reverse("agreements:create"), {
        "kind": "management_control", "title": "MCA with County IT", "effective_on": "2026-02-01"})
    agreement = Agreement.objects.get(title="MCA with County IT")
    assert response.status_code == 302 and agreement.agency == world.agency
    page = client.get(reverse("agreements:list")).content.decode()
    assert "MCA with County IT" in page and "Management Control Agreement" in page


def test_form_errors_keep_what_was_typed(world, login, client):
    login(world.users["leds_rep"])
    response = client.post(reverse("agreements:create"), {"kind": "leds_user", "title": "Kept title",
                                                          "effective_on": "13/45/2026"})
    assert response.status_code == 200 and "Kept title" in response.content.decode()


def test_upload_then_download_through_the_scoped_view(world, login, client):
    agreement = AgreementFactory(agency=world.agency)
    login(world.users["leds_rep"])
    response = client.post(reverse("agreements:document_upload", args=[agreement.pk]),
                           {"document": SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    login(world.users["employee"])  # agency members read the register
    download = client.get(reverse("agreements:document", args=[agreement.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    login(world.users["foreign"])
    assert client.get(reverse("agreements:document", args=[agreement.pk])).status_code == 404


def test_bad_upload_is_refused_with_the_reason(world, login, client):
    agreement = AgreementFactory(agency=world.agency)
    login(world.users["leds_rep"])
    response = client.post(reverse("agreements:document_upload", args=[agreement.pk]),
                           {"document": SimpleUploadedFile("notes.txt", b"hello")})
    assert response.status_code == 400 and "is not a PDF, PNG or JPEG" in response.content.decode()


def test_signatory_and_review_forms(world, login, client):
    agreement = AgreementFactory(agency=world.agency, effective_on=datetime.date(2025, 1, 1))
    login(world.users["leds_rep"])
    chief = world.people["supervisor"]
    assert client.post(reverse("agreements:signatory_add", args=[agreement.pk]), {
        "person": chief.pk, "signer_title": "Chief", "signed_on": "2025-01-01", "is_signing_official": "on",
    }).status_code == 302
    assert client.post(reverse("agreements:review_add", args=[agreement.pk]), {
        "reviewed_on": "2025-12-01", "reviewed_by": chief.pk}).status_code == 302
    page = client.get(reverse("agreements:detail", args=[agreement.pk])).content.decode()
    assert "2026-12-01" in page  # next review due 12 months after the last (R-AGR-2)
    # a person of another agency is not offered and not accepted
    response = client.post(reverse("agreements:signatory_add", args=[agreement.pk]), {
        "person": world.foreign_person.pk, "signed_on": "2025-01-01"})
    assert response.status_code == 400


def test_auditor_reads_but_cannot_change(world, login, client):
    agreement = AgreementFactory(agency=world.agency)
    login(world.users["agency_auditor"])
    assert client.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
    assert client.post(reverse("agreements:review_add", args=[agreement.pk]),
                       {"reviewed_on": "2025-12-01"}).status_code == 403
    assert not agreement.reviews.exists()


def test_r_agr_2_dashboard_shows_resign_countdown(world, login, client):
    from django.utils import timezone

    from agreements.factories import AgreementReviewFactory, AgreementSignatoryFactory
    from compliance.selectors import agency_today

    today = agency_today(world.agency)
    signatory = AgreementSignatoryFactory(agreement=AgreementFactory(agency=world.agency, title="LEDS UA"))
    AgreementReviewFactory(agreement=signatory.agreement, reviewed_on=today - datetime.timedelta(days=10))
    chief = signatory.person
    chief.status, chief.separated_at = chief.Status.SEPARATED, timezone.now() - datetime.timedelta(days=4)
    chief.save()
    login(world.users["leds_rep"])
    page = client.get(reverse("compliance:dashboard")).content.decode()
    resign_by = (timezone.localdate(chief.separated_at, timezone=world.agency.zone) + datetime.timedelta(days=30))
    shown = f"{resign_by:%b} {resign_by.day}, {resign_by.year}"
    assert f're-sign by <time datetime="{resign_by:%Y-%m-%d}">{shown}</time>' in page
    assert f"{(resign_by - today).days} days left" in page
