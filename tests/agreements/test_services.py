import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements import rules, selectors, services
from agreements.factories import AgreementFactory, AgreementReviewFactory, AgreementSignatoryFactory
from agreements.models import Agreement
from notifications.models import OutboxMessage
from people.factories import PersonFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n%test\n"


def test_create_agreement_keeps_history_with_actor_and_reason(world):
    rep = world.users["leds_rep"]
    agreement = services.create_agreement(agency=world.agency, actor=rep, kind=Agreement.Kind.LEDS_USER,
                                          title="LEDS User Agreement 2026", effective_on=datetime.date(2026, 1, 1))
    record = agreement.history.get()
    assert record.history_user == rep and record.history_change_reason == "Agreement added"


def test_signatory_from_another_agency_is_refused(world):
    agreement = AgreementFactory(agency=world.agency)
    with pytest.raises(ValidationError):
        services.add_signatory(agreement=agreement, actor=None, signed_on=datetime.date(2026, 1, 2),
                               person=world.foreign_person)


def test_signatory_keeps_the_persons_name_at_signing(world):
    agreement = AgreementFactory(agency=world.agency)
    chief = PersonFactory(agency=world.agency, first_name="Ada", last_name="Chief")
    signatory = services.add_signatory(agreement=agreement, actor=None, signed_on=datetime.date(2026, 1, 2),
                                       person=chief, signer_title="Chief of Police")
    assert signatory.name == "Ada Chief" and signatory.is_signing_official


@pytest.mark.parametrize(("name", "content", "message"), [
    ("agreement.exe", b"MZ...", "not a PDF"),
    ("agreement.pdf", b"<html>", "does not look like a PDF"),
], ids=["wrong-type", "wrong-content"])
def test_document_type_is_checked_by_name_and_content(world, name, content, message):
    agreement = AgreementFactory(agency=world.agency)
    with pytest.raises(ValidationError, match=message):
        services.attach_document(agreement=agreement, actor=None, upload=SimpleUploadedFile(name, content))


def test_document_size_is_limited(world):
    agreement = AgreementFactory(agency=world.agency)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * services.DOCUMENT_MAX_BYTES)
    with pytest.raises(ValidationError, match="the limit is 10 MB"):
        services.attach_document(agreement=agreement, actor=None, upload=big)


def test_document_is_stored_under_a_new_name(world):
    agreement = AgreementFactory(agency=world.agency)
    services.attach_document(agreement=agreement, actor=None, upload=SimpleUploadedFile("../../signed.pdf", PDF))
    agreement.refresh_from_db()
    assert agreement.document.name.startswith(f"agreements/{world.agency.ori}/")
    assert "signed" not in agreement.document.name and agreement.document_name.endswith("signed.pdf")


def test_register_reads_an_agency_in_fixed_queries(world, django_assert_num_queries):
    for _n in range(2):
        AgreementSignatoryFactory(agreement=AgreementFactory(agency=world.agency))
    qs = Agreement.objects.filter(agency=world.agency)
    with django_assert_num_queries(5):  # rule table, agreements, parties, signatories (+people), reviews
        small = selectors.agreement_register(agreements=qs, today=datetime.date(2026, 11, 23))
    for _n in range(8):
        agreement = AgreementFactory(agency=world.agency)
        AgreementSignatoryFactory(agreement=agreement)
        AgreementReviewFactory(agreement=agreement)
    with django_assert_num_queries(5):
        large = selectors.agreement_register(agreements=qs, today=datetime.date(2026, 11, 23))
    assert len(small) == 2 and len(large) == 10


def _separate(person, on: datetime.datetime):
    person.status = person.Status.SEPARATED
    person.separated_at = on
    person.save()


def test_r_agr_2_reminders_queue_once_30_days_before_review(world):
    agreement = AgreementFactory(agency=world.agency, effective_on=datetime.date(2025, 12, 20))
    world.users["leds_rep"].email = "rep@example.org"
    world.users["leds_rep"].save()
    assert services.send_agreement_reminders(today=datetime.date(2026, 11, 19)) == 0  # 31 days before
    assert services.send_agreement_reminders(today=datetime.date(2026, 11, 20)) == 1
    assert services.send_agreement_reminders(today=datetime.date(2026, 11, 21)) == 0  # the key: never twice
    message = OutboxMessage.objects.get()
    assert message.key == f"agreement-review:{agreement.pk}:2026-12-20" and message.to == ["rep@example.org"]


def test_r_agr_2_departure_of_signing_official_queues_resign_notice(world):
    signatory = AgreementSignatoryFactory(agreement=AgreementFactory(agency=world.agency))
    AgreementReviewFactory(agreement=signatory.agreement, reviewed_on=datetime.date(2026, 6, 1))
    _separate(signatory.person, timezone.make_aware(datetime.datetime(2026, 11, 2, 15, 0)))
    standing = selectors.agreement_standing(agreement=signatory.agreement, today=datetime.date(2026, 11, 23))
    assert standing.status == rules.RESIGN_NEEDED and standing.resign_by == datetime.date(2026, 12, 2)
    assert services.send_agreement_reminders(today=datetime.date(2026, 11, 23)) == 1
    assert OutboxMessage.objects.get().subject.startswith("Re-sign by Dec 2, 2026")
