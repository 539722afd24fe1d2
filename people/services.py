"""Writes for agencies, people and memberships: one function per use case (HOUSE_STYLE.md)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts import security_log
from common.history import stamp
from common.tabular import fold_header

from .models import Agency, ColumnMapping, ImportJob, Membership, Person
from .permissions import Can
from .scoping import ALL_ROLES, get_access
from .selectors import column_mapping


def create_agency(*, ori: str, name: str, actor, time_zone: str | None = None) -> tuple[Agency, bool]:
    """Create an agency, or rename the one with that ORI (idempotent; its people stay)."""
    ori = (ori or "").strip().upper()
    name = (name or "").strip()
    with transaction.atomic():
        agency = Agency.objects.select_for_update().filter(ori=ori).first()
        created = agency is None
        if created:
            agency = Agency(ori=ori, name=name)
        else:
            if agency.name == name and (time_zone is None or agency.time_zone == time_zone):
                return agency, False
            agency.name = name
        if time_zone:
            agency.time_zone = time_zone
        agency.full_clean()
        stamp(agency, actor=actor, reason="Agency created" if created else "Agency renamed")
        agency.save()
    return agency, created


def update_agency(*, agency: Agency, actor, data: dict, reason: str = "Agency details edited") -> Agency:
    with transaction.atomic():
        for field, value in data.items():
            setattr(agency, field, value)
        agency.full_clean()
        stamp(agency, actor=actor, reason=reason)
        agency.save()
    return agency


def _check_supervisor(person: Person) -> None:
    """A supervisor must be in the same agency and may not close a loop (R-PE-1)."""
    supervisor = person.supervisor
    if supervisor is None:
        return
    if supervisor.agency_id != person.agency_id:
        raise ValidationError({"supervisor": "The supervisor must belong to the same agency."})
    seen = {person.pk} if person.pk else set()
    while supervisor is not None:
        if supervisor.pk in seen:
            raise ValidationError({"supervisor": "This supervisor would create a loop in the supervisor chain."})
        seen.add(supervisor.pk)
        supervisor = supervisor.supervisor


def create_person(*, agency: Agency, actor, data: dict, reason: str = "Person added") -> Person:
    with transaction.atomic():
        person = Person(agency=agency, **data)
        if person.status == Person.Status.SEPARATED and person.separated_at is None:
            person.separated_at = timezone.now()
        person.full_clean()
        _check_supervisor(person)
        stamp(person, actor=actor, reason=reason)
        person.save()
    return person


def update_person(*, person: Person, actor, data: dict, reason: str = "Person edited") -> Person:
    with transaction.atomic():
        for field, value in data.items():
            setattr(person, field, value)
        person.full_clean()
        _check_supervisor(person)
        stamp(person, actor=actor, reason=reason)
        person.save()
    return person


def separation_moment(*, agency: Agency, separated_on: date, at: time | None = None) -> datetime:
    """A separation date without a time counts from the end of that day in the agency's zone (R-AC-2)."""
    moment = datetime.combine(separated_on, at or time(23, 59, 59), tzinfo=agency.zone)
    return moment


def separate_person(*, person: Person, actor, separated_at: datetime, reason: str) -> Person:
    """Mark a person separated (never deleted) and stop their sign-in at once."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the person is separated; the reason is kept in history."})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_separated:
            raise ValidationError("This person is already separated.")
        person.status = Person.Status.SEPARATED
        person.separated_at = separated_at
        person.full_clean()
        stamp(person, actor=actor, reason=f"Separated: {reason}")
        person.save()
        if person.user_id and person.user.is_active:
            person.user.is_active = False
            person.user.save(update_fields=["is_active"])
            _log_account_change(
                kind="sign_in_deactivated", actor=actor, user=person.user, agency=person.agency,
                details={"reason": f"separated: {reason}"},
            )
    return person


def grant_role(*, user, agency: Agency, role: str, actor, is_alternate: bool = False) -> Membership:
    """Give ``user`` a role in ``agency`` (idempotent); the change is kept in history."""
    with transaction.atomic():
        membership = Membership.objects.filter(user=user, agency=agency, role=role).first()
        if membership is None:
            membership = Membership(user=user, agency=agency, role=role, is_alternate=is_alternate)
            membership.full_clean()
            stamp(membership, actor=actor, reason="Role granted")
            membership.save()
            _log_account_change(kind="role_granted", actor=actor, user=user, agency=agency,
                                details={"role": role, "is_alternate": is_alternate})
        elif membership.is_alternate != is_alternate:
            membership.is_alternate = is_alternate
            stamp(membership, actor=actor, reason="Role changed")
            membership.save()
            _log_account_change(kind="role_granted", actor=actor, user=user, agency=agency,
                                details={"role": role, "is_alternate": is_alternate})
    return membership


def revoke_role(*, user, agency: Agency, role: str, actor, reason: str = "Role removed") -> bool:
    """Take a role away (idempotent; False when ``user`` did not hold it). History keeps the membership."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user, agency=agency, role=role).first()
        if membership is None:
            return False
        stamp(membership, actor=actor, reason=reason)
        membership.delete()  # the historical record keeps who held it, until when, and who removed it
        _log_account_change(kind="role_revoked", actor=actor, user=user, agency=agency,
                            details={"role": role, "reason": reason})
    return True


def _log_account_change(*, kind: str, actor, user, agency: Agency, details: dict) -> None:
    """Role and sign-in changes go to the security log (R-SEC-5); accounts sits beside people at the base."""

    actor = actor if getattr(actor, "pk", None) else None
    security_log.record(event=kind, actor=actor, agency=agency, target=f"user:{user.get_username()}",
                        details=details)


def save_column_mapping(*, agency, kind: str, columns: dict[str, str], actor, name: str = "default",
                        constants: dict[str, str] | None = None):
    """Keep how this agency's export names our columns, so its next file of this kind imports unchanged."""
    cleaned = {fold_header(theirs): ours for theirs, ours in columns.items() if fold_header(theirs)}
    constants = {column: str(value).strip() for column, value in (constants or {}).items() if str(value).strip()}
    with transaction.atomic():
        mapping = ColumnMapping.objects.select_for_update().filter(agency=agency, kind=kind, name=name).first()
        if mapping is None:
            mapping = ColumnMapping(agency=agency, kind=kind, name=name)
        elif mapping.columns == cleaned and mapping.constants == constants:
            return mapping
        mapping.columns = cleaned
        mapping.constants = constants
        mapping.full_clean()
        stamp(mapping, actor=actor, reason=f"Column mapping for the {kind} import saved")
        mapping.save()
    return mapping


class ColumnMappingStore:
    """The agencies' saved column mappings, as the one import flow (common.imports) reads and saves them."""

    def load(self, *, agency, kind: str, name: str = "default") -> tuple[dict, dict] | None:
        saved = column_mapping(agency=agency, kind=kind, name=name)
        return (dict(saved.columns), dict(saved.constants)) if saved else None

    def save(self, *, agency, kind: str, name: str, columns: dict, constants: dict, actor) -> None:
        save_column_mapping(agency=agency, kind=kind, name=name, columns=columns, constants=constants, actor=actor)


class ImportJobStore:
    """Where the one import flow (common.imports) keeps a large upload while a worker plans and applies it."""

    model = ImportJob

    def create(self, **fields) -> ImportJob:
        return ImportJob.objects.create(**fields)

    def scoped(self, request):
        """The jobs a view may show: the agency the request acts in, and the user's own uploads only."""
        return ImportJob.objects.managed_by(request).filter(uploaded_by=request.user)

    def request_for(self, job: ImportJob) -> HttpRequest:
        """A request as the middleware would have resolved it for the uploader, for the worker to plan and apply
        with the same callables as the web (``ImportFlow.plan`` / ``apply`` read ``request.agency`` etc.)."""
        request = HttpRequest()
        request.method = "POST"
        request.META["REMOTE_ADDR"] = job.remote_addr or ""
        request.user = job.uploaded_by
        request.session = {}
        request.access = get_access(job.uploaded_by)
        request.agency = job.agency
        request.roles = ALL_ROLES if request.access.is_superuser else request.access.roles_in(job.agency_id)
        request.can = Can(request)
        request.htmx = False
        return request

    def purge(self, *, older_than: timedelta = timedelta(days=1)) -> int:
        """Remove the jobs (and their files) left from earlier uploads."""
        return ImportJob.objects.filter(created_at__lt=timezone.now() - older_than).delete()[0]
