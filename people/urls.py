from django.urls import path

from . import views, views_import

app_name = "people"

urlpatterns = [
    path("people/", views.roster, name="roster"),
    path("people/export/", views.roster_export, name="roster_export"),
    path("people/new/", views.person_create, name="create"),
    path("people/search/", views.person_search, name="search"),
    path("people/import/", views_import.roster_import, name="import"),
    path("people/import/confirm/", views_import.roster_import_confirm, name="import_confirm"),
    path("imports/<int:pk>/", views_import.import_job, name="import_job"),
    path("people/<int:pk>/history/", views_import.history, name="history"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="edit"),
    path("people/<int:pk>/separate/", views.person_separate, name="separate"),
    path("agency/", views.agency_detail, name="agency"),
    path("agency/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/select/", views.agency_select, name="agency_select"),
]
