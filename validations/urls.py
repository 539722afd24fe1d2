from django.urls import path

from . import views

app_name = "validations"

urlpatterns = [
    path("", views.cycle_list, name="cycles"),
    path("import/", views.list_import, name="import"),
    path("import/confirm/", views.list_import_confirm, name="import_confirm"),
    path("lists/<int:pk>/", views.cycle_detail, name="cycle"),
    path("lists/<int:pk>/assign/", views.assign, name="assign"),
    path("lists/<int:pk>/certify/", views.certify, name="certify"),
    path("lists/<int:pk>/certification.pdf", views.certification_pdf, name="certification_pdf"),
    path("worklist/", views.worklist, name="worklist"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("entries/<int:pk>/amend/", views.amend, name="amend"),
    path("contacts/<int:pk>/void/", views.contact_void, name="contact_void"),
    path("register/", views.register, name="register"),
    path("register/new/", views.register_add, name="register_add"),
    path("procedure/", views.procedure, name="procedure"),
    path("procedure/<int:pk>/download/", views.procedure_download, name="procedure_download"),
    path("procedure/<int:pk>/void/", views.procedure_void, name="procedure_void"),
]
