from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("people/<int:pk>/fingerprints/", views.record_fingerprints, name="record_fingerprints"),
]
