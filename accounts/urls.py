from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("security-log/", views.security_log_page, name="security_log"),
    path("security-log/export/", views.security_log_export, name="security_log_export"),
    path("security-log/review/", views.security_log_review, name="security_log_review"),
    path("session/status/", views.session_status, name="session_status"),
    path("session/keepalive/", views.session_keepalive, name="session_keepalive"),
    # shadows allauth's own removal (same path, included later in ledsadmin/urls.py) to keep the last factor
    path("accounts/2fa/webauthn/keys/<int:pk>/remove/", views.remove_security_key, name="remove_security_key"),
]
