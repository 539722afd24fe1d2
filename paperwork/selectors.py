"""Reads for the paperwork: what a certificate or transcript says, from the records on file (issue 21)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from certification.models import CertificationResult, Enrollment, SecurityAwarenessCompletion, TrainingGuideIssue
from common.dates import in_words
from compliance.selectors import rule_table
from people.models import Membership, Person
from state_access.models import StateAccount
from training_events.models import Attendance

from .defaults import OSP_REPLY_DAYS
from .models import AccountRequest, IssuedDocument, RequestBatch


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
                              f"{in_words(latest.passed_on)} expired on {in_words(expires_on)} (R-CE-4).")
    return {
        "person": _person_facts(person), "as_of": today.isoformat(),
        "level": latest.level.name, "passed_on": latest.passed_on.isoformat(), "score": latest.score,
        "expires_on": expires_on.isoformat(), "representative": representative_name(agency=person.agency),
        "records": [{"kind": "certification", "id": latest.pk,
                     "text": f"Certification passed {in_words(latest.passed_on)} ({latest.level.name}"
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


# Account requests to OSP (R-AC-1, R-AC-2) ------------------------------------------------------------------

@dataclass(frozen=True)
class PendingRequest:
    """An account step OSP must carry out that is in no live batch yet."""

    token: str  # "create:12" / "terminate:12": what the batch form posts
    account: object
    action: str
    waiting_since: object  # when the step was asked for in LEDS Admin

    @property
    def action_label(self) -> str:
        return AccountRequest.Action(self.action).label


def osp_reply_days() -> int:
    rule = rule_table().get("osp_request_reply")
    return rule.period_value if rule else OSP_REPLY_DAYS


def pending_requests(*, user, agency) -> list[PendingRequest]:
    """Requested accounts (create) and disablements asked for (terminate) not in a live batch, oldest first."""
    live = set(AccountRequest.objects.filter(batch__agency=agency).exclude(outcome=AccountRequest.Outcome.REJECTED)
               .values_list("account_id", "action"))
    accounts = (StateAccount.objects.for_user(user).in_agency(agency).filter(voided_at__isnull=True, status__in=[
        StateAccount.Status.REQUESTED, StateAccount.Status.DISABLE_REQUESTED]).select_related("person", "system"))
    pending = []
    for account in accounts:
        action = "create" if account.status == StateAccount.Status.REQUESTED else "terminate"
        if (account.pk, action) in live:
            continue
        since = account.requested_at if action == "create" else account.disable_requested_at
        pending.append(PendingRequest(f"{action}:{account.pk}", account, action, since))
    pending.sort(key=lambda p: (p.action != "terminate", p.waiting_since))
    return pending


def open_terminations(*, user, agency, now) -> list:
    """R-AC-2: accounts still usable more than 24 hours after their disablement was asked for."""
    return list(StateAccount.objects.for_user(user).in_agency(agency).filter(
        voided_at__isnull=True, status=StateAccount.Status.DISABLE_REQUESTED,
        disable_requested_at__lt=now - timedelta(hours=24)).select_related("person", "system")
        .order_by("disable_requested_at"))


def unanswered_requests(*, user, agency, today) -> tuple[list, list, int]:
    """Sent and unanswered: (older than the rule's days, within them, the days)."""
    days = osp_reply_days()
    rows = list(AccountRequest.objects.for_user(user).filter(batch__agency=agency, outcome="")
                .select_related("batch").order_by("batch__sent_on", "pk"))
    late = [r for r in rows if (today - r.batch.sent_on).days > days]
    waiting = [r for r in rows if (today - r.batch.sent_on).days <= days]
    return late, waiting, days


def batches(*, user, agency):
    return (RequestBatch.objects.for_user(user).in_agency(agency)
            .annotate(size=Count("requests"), answered=Count("requests", filter=~Q(requests__outcome="")))
            .order_by("-sent_on", "-pk"))


def certification_levels(person_ids) -> dict[int, str]:
    """Each person's latest certification level (not voided): one query."""
    levels: dict[int, str] = {}
    for pid, level in (CertificationResult.objects.filter(person_id__in=person_ids, voided_at__isnull=True)
                       .order_by("passed_on", "pk").values_list("person_id", "level__name")):
        levels[pid] = level
    return levels
