from django.contrib import admin
from django.urls import include, path

from background import urls as background_urls
from people import views as people_views
from state_access import urls as state_access_urls

urlpatterns = [
    path("", people_views.home, name="home"),
    path("", include("people.urls")),
    path("", include("accounts.urls")),
    path("compliance/", include("compliance.urls")),
    path("certification/", include("certification.urls")),
    # state_access began inside background: its pages keep their /background/ paths and "background:" names
    path("background/", include((background_urls.urlpatterns + state_access_urls.urlpatterns, "background"))),
    path("training/", include("training_events.urls")),
    path("notifications/", include("notifications.urls")),
    path("reminders/", include("reminders.urls")),
    path("validations/", include("validations.urls")),
    path("agreements/", include("agreements.urls")),
    path("audit/", include("audit.urls")),
    path("paperwork/", include("paperwork.urls")),
    path("statewide/", include("statewide.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# the app's own error pages (issue 17): in its frame, saying what happened and where to go
handler403 = "common.errors.permission_denied"
handler404 = "common.errors.page_not_found"
handler500 = "common.errors.server_error"
