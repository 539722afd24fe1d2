"""The admin: configuration tables are edited there, domain records only read (with history), none deleted."""

import pytest
from django.contrib import admin
from django.urls import reverse

from background.models import FingerprintCheck
from certification.factories import EnrollmentFactory
from certification.models import CertificationLevel, Enrollment
from common.admin import ConfigurationAdmin, ReadOnlyAdmin
from people.factories import UserFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "people", "compliance", "certification", "training_events", "background", "state_access",
            "validations", "agreements", "notifications", "reminders", "audit"}


def _ours():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS]


@pytest.fixture
def superuser_client(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_every_admin_list_of_ours_opens_and_nothing_of_ours_is_deleted_there(world, superuser_client, rf):
    EnrollmentFactory(person=world.target)
    request = rf.get("/")
    request.user = UserFactory(username="root2", is_superuser=True, is_staff=True)
    deletable = []
    for model, model_admin in _ours():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert superuser_client.get(url).status_code == 200, url
        if model_admin.has_delete_permission(request):
            deletable.append(opts.label)
    # a role is revoked by removing the membership; its history row ("-") keeps who had it and until when
    assert deletable == ["people.Membership"]


def test_records_are_read_only_and_configuration_is_editable(world, superuser_client):
    enrollment = EnrollmentFactory(person=world.target)
    assert isinstance(admin.site._registry[Enrollment], ReadOnlyAdmin)
    assert superuser_client.get(reverse("admin:certification_enrollment_add")).status_code == 403
    change = superuser_client.get(reverse("admin:certification_enrollment_change", args=[enrollment.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert superuser_client.get(reverse("admin:certification_enrollment_history", args=[enrollment.pk])).status_code \
        == 200
    assert isinstance(admin.site._registry[CertificationLevel], ConfigurationAdmin)
    assert superuser_client.get(reverse("admin:certification_certificationlevel_add")).status_code == 200


def test_background_checks_are_not_in_the_admin_because_their_reads_are_logged():
    assert FingerprintCheck not in admin.site._registry  # R-BG-4: read on the background pages, each read logged
