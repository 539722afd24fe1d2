from django.urls import path

from . import views

app_name = "certification"

urlpatterns = [
    path("people/<int:pk>/record/<slug:kind>/", views.record, name="record"),
    path("import/", views.records_import, name="import"),
    path("import/confirm/", views.records_import_confirm, name="import_confirm"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/new/", views.incident_create, name="incident_create"),
]
