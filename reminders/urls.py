from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("unreachable/", views.unreachable, name="unreachable"),
]
