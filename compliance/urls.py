from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
