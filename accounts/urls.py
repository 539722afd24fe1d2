from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("security-log/", views.security_log_page, name="security_log"),
    path("security-log/export/", views.security_log_export, name="security_log_export"),
    path("security-log/review/", views.security_log_review, name="security_log_review"),
]
