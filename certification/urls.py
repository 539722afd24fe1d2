from django.urls import path

from . import class_views, views

app_name = "certification"

urlpatterns = [
    path("people/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("import/", views.records_import, name="import"),
    path("import/confirm/", views.records_import_confirm, name="import_confirm"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/new/", views.incident_create, name="incident_create"),
    # in-house certification classes (R-CE-5)
    path("classes/", class_views.class_list, name="class_list"),
    path("classes/new/", class_views.class_create, name="class_create"),
    path("classes/<int:pk>/", class_views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", class_views.class_edit, name="class_edit"),
    path("classes/<int:pk>/cancel/", class_views.class_cancel, name="class_cancel"),
    path("classes/<int:pk>/roster/add/", class_views.class_roster_add, name="class_roster_add"),
    path("classes/<int:pk>/roster.pdf", class_views.class_roster_pdf, name="class_roster_pdf"),
    path("classes/<int:pk>/results/export/", class_views.class_results_export, name="class_results_export"),
    path("enrollments/<int:pk>/result/", class_views.enrollment_result, name="enrollment_result"),
    path("enrollments/<int:pk>/recorded-in-leds/", class_views.enrollment_recorded_in_leds,
         name="enrollment_recorded_in_leds"),
    path("enrollments/<int:pk>/withdraw/", class_views.enrollment_withdraw, name="enrollment_withdraw"),
    path("enrollments/<int:pk>/class.ics", class_views.enrollment_ics, name="enrollment_ics"),
]
