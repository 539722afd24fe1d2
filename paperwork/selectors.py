"""Reads for the paperwork: what a certificate or transcript says, from the records on file (issue 21)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError

from certification.models import CertificationResult, Enrollment, SecurityAwarenessCompletion, TrainingGuideIssue
from compliance.selectors import rule_table
from people.models import Membership, Person
from training_events.models import Attendance

from .models import IssuedDocument


def _name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None:
        return f"{person.first_name} {person.last_name}"
    return user.get_full_name() or user.username


def representative_name(*, agency) -> str:
    """The agency's LEDS Representative (the primary one; the alternate if there is no primary)."""
    membership = (Membership.objects.filter(agency=agency, role=Membership.Role.LEDS_REPRESENTATIVE)
                  .select_related("user", "user__person").order_by("is_alternate", "pk").first())
    return _name(membership.user) if membership else ""


def _person_facts(person: Person) -> dict:
    return {"name": f"{person.first_name} {person.last_name}", "employee_id": person.employee_id,
            "position": person.position, "agency": person.agency.name, "ori": person.agency.ori}


def certificate_content(*, person: Person, today: date) -> dict:
    """What a certificate of ``person``'s current LEDS certification says; refused without a current one."""
    latest = (CertificationResult.objects.filter(person=person, voided_at__isnull=True, passed_on__lte=today)
              .select_related("level").order_by("-passed_on", "-pk").first())
    if latest is None:
        raise ValidationError(f"{person.full_name} has no LEDS certification on file.")
    expires_on = rule_table()["recertification"].add_period(latest.passed_on)
    if expires_on < today:
        raise ValidationError(f"{person.full_name} has no current LEDS certification: the pass of "
                              f"{latest.passed_on:%b %-d, %Y} expired on {expires_on:%b %-d, %Y} (R-CE-4).")
    return {
        "person": _person_facts(person), "as_of": today.isoformat(),
        "level": latest.level.name, "passed_on": latest.passed_on.isoformat(), "score": latest.score,
        "expires_on": expires_on.isoformat(), "representative": representative_name(agency=person.agency),
        "records": [{"kind": "certification", "id": latest.pk,
                     "text": f"Certification passed {latest.passed_on:%Y-%m-%d} ({latest.level.name}"
                             f"{'' if latest.score is None else f', score {latest.score}'})"}],
    }


def transcript_content(*, person: Person, today: date) -> dict:
    """Every certification, training-guide, security-awareness and regional-training record on file, dated."""
    certifications = [
        {"kind": "certification", "id": r.pk, "date": r.passed_on.isoformat(),
         "text": f"LEDS certification passed — {r.level.name}"
                 f"{'' if r.score is None else f', score {r.score}'} ({r.get_source_display()})"}
        for r in CertificationResult.objects.filter(person=person, voided_at__isnull=True, passed_on__lte=today)
        .select_related("level").order_by("passed_on", "pk")]
    guides = []
    for g in TrainingGuideIssue.objects.filter(person=person, voided_at__isnull=True).order_by("issued_on", "pk"):
        guides.append({"kind": "training_guide", "id": g.pk, "date": g.issued_on.isoformat(),
                       "text": "LEDS training guide issued"})
        if g.completed_on:
            guides.append({"kind": "training_guide", "id": g.pk, "date": g.completed_on.isoformat(),
                           "text": "LEDS training guide completed"})
    awareness = [
        {"kind": "security_awareness", "id": a.pk, "date": a.completed_on.isoformat(),
         "text": f"CJIS security awareness training completed (tier {a.tier})"}
        for a in SecurityAwarenessCompletion.objects.filter(person=person, voided_at__isnull=True,
                                                            completed_on__lte=today).order_by("completed_on", "pk")]
    attended = (Attendance.objects.filter(registration__person=person, outcome=Attendance.Outcome.ATTENDED)
                .select_related("day", "registration__event").order_by("day__starts_at", "pk"))
    regional = [
        {"kind": "training_event", "id": a.pk,
         "date": a.day.starts_at.astimezone(a.registration.event.zone).date().isoformat(),
         "text": f"{a.registration.event.title} ({a.registration.event.get_kind_display()}) — attended"}
        for a in attended]
    classes = [
        {"kind": "class", "id": e.pk, "date": e.certification_class.held_on.isoformat(),
         "text": f"In-house LEDS certification class — {e.get_result_display() or 'attended'}"}
        for e in Enrollment.objects.filter(person=person, withdrawn_at__isnull=True,
                                           attendance=Enrollment.Attendance.ATTENDED)
        .select_related("certification_class").order_by("certification_class__held_on", "pk")]
    sections = [
        {"title": "LEDS certification", "rule": "R-CE-3, R-CE-4", "rows": certifications},
        {"title": "In-house certification classes", "rule": "R-CE-5", "rows": classes},
        {"title": "LEDS training guide", "rule": "R-CE-2", "rows": guides},
        {"title": "CJIS security awareness training", "rule": "R-SA-1", "rows": awareness},
        {"title": "Regional and statewide training", "rule": "R-EV-3", "rows": regional},
    ]
    records = [{"kind": row["kind"], "id": row["id"], "text": f"{row['date']} {row['text']}"}
               for section in sections for row in section["rows"]]
    return {"person": _person_facts(person), "as_of": today.isoformat(), "sections": sections,
            "representative": representative_name(agency=person.agency), "records": records}


def normalise_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def find_document(*, user, code: str) -> IssuedDocument | None:
    """The document with this verification code, if the user may read it (another agency's: none)."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    return (IssuedDocument.objects.for_user(user).select_related("person", "agency", "issued_by")
            .filter(code=normalised).first())


def documents_for(*, user, person: Person):
    return IssuedDocument.objects.for_user(user).filter(person=person).order_by("-issued_at", "-pk")


def class_certificates(*, user, certification_class) -> list[IssuedDocument]:
    """The latest certificate issued to each person for this class, by name."""
    latest: dict[int, IssuedDocument] = {}
    for document in (IssuedDocument.objects.for_user(user).filter(certification_class=certification_class,
                                                                  kind=IssuedDocument.Kind.CERTIFICATE)
                     .select_related("person").order_by("issued_at", "pk")):
        latest[document.person_id] = document
    return sorted(latest.values(), key=lambda d: (d.person.last_name, d.person.first_name))
