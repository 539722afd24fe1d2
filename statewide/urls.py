from django.urls import path

from . import views

app_name = "statewide"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("audits/", views.audits, name="audits"),
    path("audits/<int:pk>/record/", views.audit_record, name="audit_record"),
]
