from django.urls import path

from . import views

app_name = "paperwork"

urlpatterns = [
    path("people/<int:pk>/issue/<slug:kind>/", views.issue, name="issue"),
    path("documents/<int:pk>.pdf", views.download, name="download"),
    path("verify/", views.verify, name="verify"),
    path("classes/<int:pk>/certificates/", views.class_issue, name="class_issue"),
    path("classes/<int:pk>/certificates.pdf", views.class_download, name="class_download"),
    path("osp/", views.osp_requests, name="osp_requests"),
    path("osp/batches/new/", views.osp_batch_create, name="osp_batch_create"),
    path("osp/batches/<int:pk>/", views.osp_batch, name="osp_batch"),
    path("osp/batches/<int:pk>.pdf", views.osp_batch_pdf, name="osp_batch_pdf"),
    path("osp/batches/<int:pk>/export/", views.osp_batch_export, name="osp_batch_export"),
    path("osp/requests/<int:pk>/answer/", views.osp_answer, name="osp_answer"),
]
