"""Roles and the one permission check (HOUSE_STYLE.md). The matrix is auditable in this file.

A view declares the roles that may use it with ``@role_required(...)``, naming one of the sets below. The user's
roles in the agency the request works in are resolved once by ``people.middleware.AgencyAccessMiddleware`` and
kept on ``request.roles``; ``request.can`` answers each named permission (``request.can.manage_people``), so
templates and template tags never name a role. A role that may not act answers 403; another agency's record is
a 404 from the scoped queryset (people/scoping.py). Which rows a role reads stays with each model's ``Scoping``.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Membership
from .scoping import acts_in_agency

Role = Membership.Role

# Who may do what. Views name these sets, so the whole matrix reads from here.
MANAGE_PEOPLE = frozenset({Role.LEDS_REPRESENTATIVE})
READ_AGENCY = frozenset({Role.LEDS_REPRESENTATIVE, Role.LASO, Role.AGENCY_AUDITOR, Role.STATE_AUDITOR})
READ_PEOPLE = READ_AGENCY | {Role.SUPERVISOR, Role.EMPLOYEE}
ANY_ROLE = frozenset(Role.values)
# the state's program officers read every agency's figures on the statewide pages (issue 20)
READ_STATEWIDE = frozenset({Role.STATE_AUDITOR, Role.STATE_TRAINING_UNIT})
SCHEDULE_AUDITS = frozenset({Role.STATE_AUDITOR})  # the state auditor records an agency's audit (R-AU-1)
# certificates and transcripts (issue 21); account requests sent to OSP and their answers
READ_PAPERWORK = frozenset({Role.LEDS_REPRESENTATIVE, Role.AGENCY_AUDITOR, Role.STATE_AUDITOR})
LEDS_REPRESENTATIVE_ONLY = frozenset({Role.LEDS_REPRESENTATIVE})
TRAINING_UNIT = frozenset({Role.STATE_TRAINING_UNIT})
STATE_AUDITOR_ONLY = frozenset({Role.STATE_AUDITOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
AUDITORS = frozenset({Role.AGENCY_AUDITOR, Role.STATE_AUDITOR})

# the LEDS Representative or the LASO records security awareness, incidents (R-SA-1), fingerprints and password-reset
# assists (R-AC-5)
RECORD_FOR_AGENCY = MANAGE_PEOPLE | {Role.LASO}
READ_SENSITIVE = RECORD_FOR_AGENCY  # background details beyond "complete" / "pending" (R-BG-4)
READ_BACKGROUND = READ_AGENCY  # R-BG-4: LEDS Representative, LASO and auditors
DASHBOARD_ROLES = READ_AGENCY | {Role.SUPERVISOR}
MANAGE_SIGN_INS = LEDS_REPRESENTATIVE_ONLY  # user administration (CJIS AC-2)
MANAGE_OUTBOX = LEDS_REPRESENTATIVE_ONLY  # the e-mail outbox and the reminder sweep's runs
WRITE_OSP_REQUESTS = RECORD_FOR_AGENCY
READ_OSP_REQUESTS = READ_AGENCY
READ_SECURITY_LOG = READ_AGENCY
REVIEW_SECURITY_LOG = frozenset({Role.LASO})
SCHEDULE_CLASSES = MANAGE_PEOPLE  # the LEDS Representative schedules classes and records results
READ_CLASSES = READ_AGENCY  # LASO and auditors read
MANAGE_AGREEMENTS = LEDS_REPRESENTATIVE_ONLY
MANAGE_AUDITS = LEDS_REPRESENTATIVE_ONLY
MANAGE_VALIDATIONS = MANAGE_PEOPLE
READ_VALIDATIONS = READ_AGENCY
# who may read an event's registrations (each sees only their scope: people/scoping.py)
READ_REGISTRATIONS = frozenset({Role.STATE_TRAINING_UNIT, Role.LEDS_REPRESENTATIVE, Role.LASO, Role.AGENCY_AUDITOR,
                                Role.STATE_AUDITOR, Role.SUPERVISOR})
# who may register or cancel for someone other than themself
ACT_FOR_OTHERS = frozenset({Role.STATE_TRAINING_UNIT, Role.LEDS_REPRESENTATIVE})
HOST_READERS = frozenset({Role.STATE_TRAINING_UNIT, Role.STATE_AUDITOR, Role.LEDS_REPRESENTATIVE, Role.LASO,
                          Role.AGENCY_AUDITOR})
# which results each form on a person's page records (certification/views.py RECORD_KINDS)
RECORD_KIND_ROLES = {"certification": MANAGE_PEOPLE, "guide_issued": MANAGE_PEOPLE, "guide_completed": MANAGE_PEOPLE,
                     "awareness": RECORD_FOR_AGENCY}

# request.can.<name>: what templates and template tags ask
PERMISSIONS = {
    "manage_people": MANAGE_PEOPLE,
    "read_agency": READ_AGENCY,
    "read_people": READ_PEOPLE,
    "record_for_agency": RECORD_FOR_AGENCY,
    "read_sensitive": READ_SENSITIVE,
    "read_background": READ_BACKGROUND,
    "see_dashboard": DASHBOARD_ROLES,
    "read_others": DASHBOARD_ROLES,  # people besides themself: the roster link
    "manage_sign_ins": MANAGE_SIGN_INS,
    "read_security_log": READ_SECURITY_LOG,
    "review_security_log": REVIEW_SECURITY_LOG,
    "schedule_classes": SCHEDULE_CLASSES,
    "read_classes": READ_CLASSES,
    "manage_agreements": MANAGE_AGREEMENTS,
    "manage_audits": MANAGE_AUDITS,
    "export_investigations": MANAGE_AUDITS,
    "manage_validations": MANAGE_VALIDATIONS,
    "read_validations": READ_VALIDATIONS,
    "read_registrations": READ_REGISTRATIONS,
    "act_for_others": ACT_FOR_OTHERS,
    "act_as_training_unit": TRAINING_UNIT,
    "act_as_state_auditor": STATE_AUDITOR_ONLY,
    "supervise": SUPERVISORS,
    "read_as_auditor": AUDITORS,
    "read_host_requests": HOST_READERS,
    "read_statewide": READ_STATEWIDE,
    "schedule_audits": SCHEDULE_AUDITS,
    "read_paperwork": READ_PAPERWORK,
    "write_osp_requests": WRITE_OSP_REQUESTS,
    "manage_outbox": MANAGE_OUTBOX,
}


def has_role(request, roles) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(getattr(request, "roles", frozenset()) & frozenset(roles))


class Can:
    """``request.can``: one attribute per named permission (``PERMISSIONS``), true when the user holds one of its
    roles in the request's agency (a superuser holds them all). Unknown names raise, so a typo cannot hide."""

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name: str) -> bool:
        try:
            roles = PERMISSIONS[name]
        except KeyError:
            raise AttributeError(f"no permission named {name!r} in people.permissions.PERMISSIONS") from None
        return has_role(self._request, roles)

    def __getitem__(self, name: str) -> bool:  # the template engine tries a key first
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


def may_act_on(request, person) -> bool:
    """A person's record may be changed here: of the agency the request acts in, and not separated."""
    return acts_in_agency(request, person) and not person.is_separated


def may_record(request, person, kind: str) -> bool:
    """The person page's "record a result" form of ``kind`` (RECORD_KIND_ROLES) is offered and accepted."""
    return has_role(request, RECORD_KIND_ROLES[kind]) and may_act_on(request, person)


def may_record_fingerprints(request, person) -> bool:
    return has_role(request, RECORD_FOR_AGENCY) and may_act_on(request, person)


def may_work_entry(request, entry) -> bool:
    """The LEDS Representative works every validation entry; a validator their own (R-VA-4)."""
    own = request.access.person_id is not None and entry.validator_id == request.access.person_id
    return has_role(request, MANAGE_VALIDATIONS) or own


def role_required(*role_sets):
    """Let the view run only for users holding one of the roles (in the request's agency).

    ``@role_required(MANAGE_PEOPLE)`` or ``@role_required(Role.LASO, Role.LEDS_REPRESENTATIVE)``.
    Anonymous users go to sign-in; a user without the role gets 403. Superusers pass.
    """
    allowed: set[str] = set()
    for item in role_sets:
        if isinstance(item, str):
            allowed.add(item)
        else:
            allowed |= set(item)
    frozen = frozenset(allowed)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.agency is None and not request.user.is_superuser:
                raise PermissionDenied("You hold no role in any agency.")
            if not has_role(request, frozen):
                raise PermissionDenied("Your role does not allow this page.")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozen
        return wrapper

    return decorator
