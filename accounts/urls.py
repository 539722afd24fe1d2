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

urlpatterns += [
    path("users/", views.users, name="users"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/roles/grant/", views.user_grant_role, name="user_grant_role"),
    path("users/<int:pk>/roles/remove/", views.user_revoke_role, name="user_revoke_role"),
    path("users/<int:pk>/reset-mfa/", views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("locked/", views.locked_accounts, name="locked_accounts"),
    path("locked/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
