"""User administration by the LEDS Representative (CJIS AC-2) and the locked-accounts page (R-SEC-3)."""

import re

from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountLock, Invitation, SecurityEvent, User
from people.factories import PersonFactory, UserFactory
from people.models import Membership

Kind = SecurityEvent.Kind


def _invite(client, person, username="new.person", email="new.person@example.org", role="employee",
            capture=None):
    with capture(execute=True):
        return client.post(reverse("accounts:user_invite", args=[person.pk]),
                           {"username": username, "email": email, "role": role})


def test_an_invitation_link_works_once_then_mfa_enrollment_follows(world, client, login, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    person = PersonFactory(agency=world.agency, first_name="Nia", last_name="Newcomer")
    login(world.users["leds_rep"])
    response = _invite(client, person, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    person.refresh_from_db()
    user = person.user
    assert user.username == "new.person" and not user.has_usable_password()
    assert Membership.objects.filter(user=user, agency=world.agency, role="employee").exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["new.person@example.org"]
    link = re.search(r"http://localhost:8000(/invitation/\S+/)", mailoutbox[0].body).group(1)  # SITE_URL
    Authenticator.objects.filter(user=user).delete()  # a new person has no second factor yet

    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and "new.person" in page.content.decode()
    weak = client.post(link, {"password1": "password", "password2": "password"})
    assert "common or breached" in weak.content.decode()
    done = client.post(link, {"password1": "my first long passphrase", "password2": "my first long passphrase"})
    assert done.status_code == 302 and done["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("people:agency"))["Location"].startswith(reverse("mfa_activate_totp"))
    user.refresh_from_db()
    assert user.check_password("my first long passphrase")

    client.logout()
    assert client.get(link).status_code == 404  # works once
    again = client.post(link, {"password1": "another long passphrase", "password2": "another long passphrase"})
    assert again.status_code == 404
    user.refresh_from_db()
    assert user.check_password("my first long passphrase")
    kinds = set(SecurityEvent.objects.filter(target="user:new.person").values_list("event", flat=True))
    assert {Kind.INVITATION_SENT, Kind.INVITATION_ACCEPTED, Kind.ROLE_GRANTED} <= kinds


def test_a_second_invitation_replaces_the_first(world, client, login, mailoutbox,
                                                django_capture_on_commit_callbacks):
    person = PersonFactory(agency=world.agency)
    login(world.users["leds_rep"])
    _invite(client, person, capture=django_capture_on_commit_callbacks)
    _invite(client, person, capture=django_capture_on_commit_callbacks)
    first, second = (re.search(r"http://localhost:8000(/invitation/\S+/)", m.body).group(1) for m in mailoutbox)
    client.logout()
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    assert Invitation.objects.filter(revoked_at__isnull=False).count() == 1


def test_an_invitation_with_a_taken_user_name_is_refused_with_the_reason(world, client, login,
                                                                         django_capture_on_commit_callbacks):
    login(world.users["leds_rep"])
    response = _invite(client, world.outsider, username="employee", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "is taken" in response.content.decode()


def test_roles_are_granted_and_removed_and_logged(world, client, login):
    target = world.people["employee"]
    login(world.users["leds_rep"])
    client.post(reverse("accounts:user_grant_role", args=[target.pk]), {"role": "supervisor"})
    assert Membership.objects.filter(user=target.user, role="supervisor").exists()
    client.post(reverse("accounts:user_revoke_role", args=[target.pk]), {"role": "supervisor"})
    assert not Membership.objects.filter(user=target.user, role="supervisor").exists()
    assert Membership.history.filter(user_id=target.user.pk, role="supervisor", history_type="-").get() \
        .history_change_reason == "Role removed"
    events = list(SecurityEvent.objects.filter(target="user:employee").values_list("event", flat=True))
    assert Kind.ROLE_GRANTED in events and Kind.ROLE_REVOKED in events


def test_a_leds_representative_cannot_remove_their_own_leds_role(world, client, login):
    rep = world.people["leds_rep"]
    login(world.users["leds_rep"])
    client.post(reverse("accounts:user_revoke_role", args=[rep.pk]), {"role": "leds_rep"})
    assert Membership.objects.filter(user=rep.user, role="leds_rep").exists()


def test_reset_mfa_sends_the_person_back_to_enrollment(world, client, login):
    target = world.people["employee"]
    login(world.users["leds_rep"])
    client.post(reverse("accounts:user_reset_mfa", args=[target.pk]))
    assert not Authenticator.objects.filter(user=target.user).exists()
    assert SecurityEvent.objects.filter(event=Kind.MFA_RESET, target="user:employee").exists()
    login(target.user)
    assert client.get(reverse("people:agency"))["Location"].startswith(reverse("mfa_activate_totp"))


def test_deactivating_a_sign_in_needs_a_reason_and_ends_it(world, client, login):
    target = world.people["employee"]
    login(world.users["leds_rep"])
    refused = client.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0", "reason": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    client.post(reverse("accounts:user_set_active", args=[target.pk]), {"active": "0", "reason": "On leave"})
    target.user.refresh_from_db()
    assert not target.user.is_active
    event = SecurityEvent.objects.get(event=Kind.SIGN_IN_DEACTIVATED, target="user:employee")
    assert event.actor == world.users["leds_rep"] and event.details == {"reason": "On leave"}
    login(User.objects.get(pk=target.user.pk))
    assert client.get(reverse("people:agency")).status_code == 302


def test_users_page_lists_the_agencys_people_with_their_sign_in(world, client, login):
    page = login(world.users["leds_rep"]).get(reverse("accounts:users")).content.decode()
    assert "Tester, Employee" in page and "Foreign" not in page and "Enrolled" in page


def test_locked_accounts_page_is_scoped_and_unlocks(world, client, login):
    now = timezone.now()
    own = AccountLock.objects.create(username="employee", user=world.users["employee"], agency=world.agency,
                                     locked_at=now, failures=5)
    AccountLock.objects.create(username="foreign", user=world.users["foreign"], agency=world.foreign_agency,
                               locked_at=now, failures=5)
    AccountLock.objects.create(username="no-such-user", locked_at=now, failures=5)
    page = login(world.users["leds_rep"]).get(reverse("accounts:locked_accounts")).content.decode()
    assert "employee" in page and "foreign" not in page and "no-such-user" not in page
    response = client.post(reverse("accounts:unlock", args=[own.pk]))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.unlocked_by == world.users["leds_rep"] and own.unlocked_at is not None
    assert SecurityEvent.objects.filter(event=Kind.UNLOCKED, actor=world.users["leds_rep"]).exists()


def test_an_administrator_sees_and_unlocks_every_lock(world, client, login):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    AccountLock.objects.create(username="no-such-user", locked_at=timezone.now(), failures=5)
    lock = AccountLock.objects.create(username="foreign", user=world.users["foreign"],
                                      agency=world.foreign_agency, locked_at=timezone.now(), failures=5)
    page = login(admin).get(reverse("accounts:locked_accounts")).content.decode()
    assert "no-such-user" in page and "foreign" in page
    assert client.post(reverse("accounts:unlock", args=[lock.pk])).status_code == 302


def test_a_person_without_a_sign_in_offers_the_invitation(world, client, login):
    page = login(world.users["leds_rep"]).get(reverse("accounts:user_detail", args=[world.outsider.pk]))
    assert "E-mail the invitation" in page.content.decode()


def test_a_reactivated_sign_in_chooses_a_new_password_and_the_admin_goes_the_same_way(world, client, login):
    target = world.people["employee"]
    login(world.users["leds_rep"])
    url = reverse("accounts:user_set_active", args=[target.pk])
    client.post(url, {"active": "0", "reason": "On leave"})
    client.post(url, {"active": "1", "reason": "Back from leave"})
    target.user.refresh_from_db()
    assert target.user.is_active and target.user.must_change_password
    assert SecurityEvent.objects.get(event=Kind.SIGN_IN_REACTIVATED).details == {"reason": "Back from leave"}
    # the Django admin: the same service, so the same log row and the same new-password rule
    User.objects.filter(pk=target.user.pk).update(must_change_password=False)
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    login(root)
    user = User.objects.get(pk=target.user.pk)
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "is_active": "", "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S")})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(event=Kind.SIGN_IN_DEACTIVATED, actor=root)
    assert event.details == {"reason": "Changed in the Django admin"}
    client.post(reverse("admin:accounts_user_change", args=[user.pk]), {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "is_active": "on", "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S")})
    user.refresh_from_db()
    assert user.is_active and user.must_change_password
    assert SecurityEvent.objects.filter(event=Kind.SIGN_IN_REACTIVATED, actor=root).count() == 1
