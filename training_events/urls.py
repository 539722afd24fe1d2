from django.urls import path

from . import views

app_name = "training_events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/complete/", views.event_complete, name="event_complete"),
    path("<int:pk>/notify-me/", views.notify_me, name="notify_me"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/registrations/", views.event_registrations, name="registrations"),
    path("<int:pk>/registrations/export/", views.roster_export, name="roster_export"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("registrations/<int:pk>/event.ics", views.registration_ics, name="registration_ics"),
    path("calendar/", views.my_calendar, name="my_calendar"),
    path("calendar/issue/", views.feed_issue, name="feed_issue"),
    path("calendar/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("calendar/statewide/issue/", views.statewide_feed_issue, name="statewide_feed_issue"),
    path("calendar/statewide/revoke/", views.statewide_feed_revoke, name="statewide_feed_revoke"),
    path("statewide/<str:token>.ics", views.statewide_feed, name="statewide_feed"),
    path("inbox/", views.inbox, name="inbox"),
    path("hosting/", views.host_request_list, name="host_requests"),
    path("hosting/offer/", views.host_request_create, name="host_request_create"),
    path("hosting/<int:pk>/decide/", views.host_request_decide, name="host_request_decide"),
]
