"""Resolve the user's agency and roles once per request (people/scoping.py)."""

from .models import Agency
from .permissions import Can
from .scoping import ALL_ROLES, get_access

SESSION_AGENCY_KEY = "leds_agency_id"


class AgencyAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        access = get_access(request.user)
        request.access = access
        request.agency = None
        request.roles = frozenset()
        request.can = Can(request)  # templates ask request.can.<permission>, never a role
        if access.user_id is not None:
            request.agency = self._current_agency(request, access)
            if access.is_superuser:
                request.roles = ALL_ROLES  # a deployment administrator acts in every role
            elif request.agency is not None:
                request.roles = access.roles_in(request.agency.pk)
        return self.get_response(request)

    @staticmethod
    def _current_agency(request, access):
        """The agency chosen in this session if the user may enter it, else their own."""
        chosen = request.session.get(SESSION_AGENCY_KEY)
        if chosen and access.may_enter(chosen):
            agency = Agency.objects.filter(pk=chosen).first()
            if agency:
                return agency
        default_id = access.person_agency_id if access.person_agency_id in access.roles_by_agency else None
        default_id = default_id or (access.agency_ids[0] if access.agency_ids else None)
        if default_id is None:
            if access.is_superuser:
                return Agency.objects.order_by("name").first()
            return None
        return Agency.objects.filter(pk=default_id).first()
