"""State systems and accounts (R-AC-1..5). These pages keep the paths and URL names they had inside background/
(``/background/accounts/``, ``background:accounts``): ledsadmin/urls.py mounts them after background's own
patterns, in the ``background`` namespace."""

from django.urls import path

from . import views, views_onboarding

urlpatterns = [
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/step/", views.account_step, name="account_step"),
    path("accounts/import/", views.import_activity, name="import_activity"),
    path("accounts/import/confirm/", views.import_activity_confirm, name="import_activity_confirm"),
    path("accounts/import-existing/", views_onboarding.import_state_accounts, name="import_state_accounts"),
    path("accounts/import-existing/confirm/", views_onboarding.import_state_accounts_confirm,
         name="import_state_accounts_confirm"),
    path("people/<int:pk>/accounts/", views.person_accounts, name="person_accounts"),
    path("people/<int:pk>/accounts/request/", views.request_account, name="request_account"),
    path("people/<int:pk>/accounts/request-disablement/", views.request_disablements,
         name="request_disablements"),
    path("people/<int:pk>/transfer/", views.record_transfer, name="record_transfer"),
    path("<str:kind>/<int:pk>/void/", views.void_record, name="void"),
    path("systems/", views.systems, name="systems"),
    path("systems/add/", views.add_system, name="add_system"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/start/", views.start_review, name="start_review"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/decide/", views.decide_review, name="decide_review"),
    path("reviews/<int:pk>/sign/", views.sign_review, name="sign_review"),
    path("password-resets/", views.password_resets, name="password_resets"),
    path("password-resets/record/", views.record_password_reset, name="record_password_reset"),
]
