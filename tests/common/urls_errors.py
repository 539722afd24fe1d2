"""The real URLs and error handlers, plus one view that fails, for tests/common/test_error_pages.py."""

from django.urls import path

from ledsadmin.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [*urlpatterns, path("boom-for-tests/", _boom)]
