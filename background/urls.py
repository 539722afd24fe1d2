from django.urls import path

from . import views, views_accounts, views_onboarding

app_name = "background"

urlpatterns = [
    path("people/<int:pk>/fingerprints/", views.record_fingerprints, name="record_fingerprints"),
    path("people/<int:pk>/", views.person_background, name="person"),
    path("checks/<int:pk>/adjudicate/", views.adjudicate, name="adjudicate"),
    # state systems and accounts (R-AC-1..5)
    path("accounts/", views_accounts.account_list, name="accounts"),
    path("accounts/<int:pk>/step/", views_accounts.account_step, name="account_step"),
    path("accounts/import/", views_accounts.import_activity, name="import_activity"),
    path("accounts/import/confirm/", views_accounts.import_activity_confirm, name="import_activity_confirm"),
    path("accounts/import-existing/", views_onboarding.import_state_accounts, name="import_state_accounts"),
    path("accounts/import-existing/confirm/", views_onboarding.import_state_accounts_confirm,
         name="import_state_accounts_confirm"),
    path("people/<int:pk>/accounts/", views_accounts.person_accounts, name="person_accounts"),
    path("people/<int:pk>/accounts/request/", views_accounts.request_account, name="request_account"),
    path("people/<int:pk>/accounts/request-disablement/", views_accounts.request_disablements,
         name="request_disablements"),
    path("people/<int:pk>/transfer/", views_accounts.record_transfer, name="record_transfer"),
    path("<str:kind>/<int:pk>/void/", views_accounts.void_record, name="void"),
    path("systems/", views_accounts.systems, name="systems"),
    path("systems/add/", views_accounts.add_system, name="add_system"),
    path("reviews/", views_accounts.reviews, name="reviews"),
    path("reviews/start/", views_accounts.start_review, name="start_review"),
    path("reviews/<int:pk>/", views_accounts.review_detail, name="review"),
    path("reviews/<int:pk>/decide/", views_accounts.decide_review, name="decide_review"),
    path("reviews/<int:pk>/sign/", views_accounts.sign_review, name="sign_review"),
    path("password-resets/", views_accounts.password_resets, name="password_resets"),
    path("password-resets/record/", views_accounts.record_password_reset, name="record_password_reset"),
]
