from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("people/", views.roster, name="roster"),
    path("people/export/", views.roster_export, name="roster_export"),
    path("people/new/", views.person_create, name="create"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="edit"),
    path("people/<int:pk>/separate/", views.person_separate, name="separate"),
    path("agency/", views.agency_detail, name="agency"),
    path("agency/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/select/", views.agency_select, name="agency_select"),
]
