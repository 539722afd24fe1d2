from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("new/", views.audit_create, name="create"),
    path("<int:pk>/", views.audit_detail, name="detail"),
    path("<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("<int:pk>/void/", views.audit_void, name="void"),
    path("findings/<int:pk>/complete/", views.finding_complete, name="finding_complete"),
    path("people/<int:person_pk>/investigation-export/", views.investigation_export, name="investigation_export"),
    path("packets/", views.packet_list, name="packets"),
    path("packets/build/", views.packet_build, name="packet_build"),
    path("packets/<int:pk>/", views.packet_detail, name="packet_detail"),
    path("packets/<int:pk>/progress/", views.packet_progress, name="packet_progress"),
    path("packets/<int:pk>/download/", views.packet_download, name="packet_download"),
]
