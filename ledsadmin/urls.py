from django.contrib import admin
from django.urls import include, path

from people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("", include("people.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
