from django.urls import path

from . import views

app_name = "background"

urlpatterns = [
    path("people/<int:pk>/fingerprints/", views.record_fingerprints, name="record_fingerprints"),
    path("people/<int:pk>/", views.person_background, name="person"),
    path("checks/<int:pk>/adjudicate/", views.adjudicate, name="adjudicate"),
]
