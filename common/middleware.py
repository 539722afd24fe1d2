"""Response headers every page gets (issue 17)."""

from django.utils.cache import patch_cache_control, patch_vary_headers


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user.

    Pages, exports and downloads for a signed-in user carry personal and criminal-justice data: no browser or
    proxy may keep a copy (a shared workstation's back button, a proxy cache). Static files never get here
    (whitenoise answers them first) and keep their long cache lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            if "max-age" in response.get("Cache-Control", ""):
                del response["Cache-Control"]
                patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ("Cookie",))
        return response
