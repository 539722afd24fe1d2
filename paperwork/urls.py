from django.urls import path

from . import views

app_name = "paperwork"

urlpatterns = [
    path("people/<int:pk>/issue/<slug:kind>/", views.issue, name="issue"),
    path("documents/<int:pk>.pdf", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("classes/<int:pk>/certificates/", views.class_issue, name="class_issue"),
    path("classes/<int:pk>/certificates.pdf", views.class_download, name="class_download"),
]
