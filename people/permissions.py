"""Roles and the one permission check (HOUSE_STYLE.md). The matrix is auditable in this file.

A view declares the roles that may use it with ``@role_required(...)``. The user's roles in the agency
the request works in are resolved once by ``people.middleware.AgencyAccessMiddleware`` and kept on
``request.roles``; templates ask ``request.roles`` and never re-derive them. A role that may not act
answers 403; another agency's record is a 404 from the scoped queryset (people/scoping.py).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .models import Membership

Role = Membership.Role

# Who may do what. Views name these sets, so the whole matrix reads from here.
MANAGE_PEOPLE = frozenset({Role.LEDS_REPRESENTATIVE})
READ_AGENCY = frozenset({Role.LEDS_REPRESENTATIVE, Role.LASO, Role.AGENCY_AUDITOR, Role.STATE_AUDITOR})
READ_PEOPLE = READ_AGENCY | {Role.SUPERVISOR, Role.EMPLOYEE}
ANY_ROLE = frozenset(Role.values)
# the state's program officers read every agency's figures on the statewide pages (issue 20)
READ_STATEWIDE = frozenset({Role.STATE_AUDITOR, Role.STATE_TRAINING_UNIT})
SCHEDULE_AUDITS = frozenset({Role.STATE_AUDITOR})  # the state auditor records an agency's audit (R-AU-1)


def has_role(request, roles) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(getattr(request, "roles", frozenset()) & frozenset(roles))


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
