from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.agreement_edit, name="edit"),
    path("<int:pk>/void/", views.agreement_void, name="void"),
    path("<int:pk>/parties/", views.party_add, name="party_add"),
    path("<int:pk>/signatories/", views.signatory_add, name="signatory_add"),
    path("<int:pk>/reviews/", views.review_add, name="review_add"),
    path("<int:pk>/document/upload/", views.document_upload, name="document_upload"),
    path("<int:pk>/document/", views.document_download, name="document"),
]
