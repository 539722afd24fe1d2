from .models import Membership


def access(request):
    """Expose the role names to templates; the roles themselves are on ``request.roles``."""
    return {"ROLE": Membership.Role}
