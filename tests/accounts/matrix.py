from django.urls import reverse
from django.utils import timezone

from tests.matrix import AGENCY_READERS, EVERY_ROLE, LEDS_REP, Row

LASO = frozenset({"laso"})


def _person_with_sign_in(w):
    """A person of the agency with a sign-in of their own, so the matrix's POSTs change nobody it signs in as."""
    from people.factories import PersonFactory, UserFactory
    from people.models import Person

    user = UserFactory(username="matrix-target")
    return Person.objects.filter(user=user).first() or PersonFactory(agency=w.agency, user=user, last_name="Target")


def _lock(w):
    from accounts.models import AccountLock

    return AccountLock.objects.filter(username="employee", unlocked_at__isnull=True).first() or \
        AccountLock.objects.create(username="employee", user=w.users["employee"], agency=w.agency,
                                   locked_at=timezone.now(), failures=5)

ROWS = {
    "accounts:security_log": Row(lambda w: reverse("accounts:security_log"), ok=AGENCY_READERS, foreign=200),
    "accounts:security_log_export": Row(
        lambda w: reverse("accounts:security_log_export"), ok=AGENCY_READERS, foreign=200
    ),
    "accounts:security_log_review": Row(
        lambda w: reverse("accounts:security_log_review"), ok=LASO, ok_status=302, method="post", foreign=403
    ),
    # asked in the background by the session warning; anyone signed in, whatever their role (R-SEC-4)
    "accounts:session_status": Row(lambda w: reverse("accounts:session_status"), ok=EVERY_ROLE, foreign=200,
                                   anonymous=401),
    "accounts:session_keepalive": Row(lambda w: reverse("accounts:session_keepalive"), ok=EVERY_ROLE, foreign=200,
                                      anonymous=401, method="post"),
    # one's own security key only: any other key is not there
    "accounts:remove_security_key": Row(lambda w: reverse("accounts:remove_security_key", args=[987654]),
                                        ok=frozenset(), denied=404),
    # the admin's set-password page (accounts.admin.UserAdmin): staff only, others go to the admin sign-in
    "admin:auth_user_password_change": Row(
        lambda w: reverse("admin:auth_user_password_change", args=[w.users["employee"].pk]), ok=frozenset(),
        denied=302, foreign=302,
    ),
    # user administration: the LEDS Representative of the person's agency (CJIS AC-2)
    "accounts:users": Row(lambda w: reverse("accounts:users"), ok=LEDS_REP, foreign=200),
    "accounts:user_detail": Row(lambda w: reverse("accounts:user_detail", args=[w.target.pk]), ok=LEDS_REP),
    "accounts:user_invite": Row(
        lambda w: reverse("accounts:user_invite", args=[w.outsider.pk]), ok=LEDS_REP, ok_status=302, method="post",
        data={"username": "chain.outside", "email": "chain@example.org", "role": "employee"},
    ),
    "accounts:user_grant_role": Row(
        lambda w: reverse("accounts:user_grant_role", args=[_person_with_sign_in(w).pk]), ok=LEDS_REP,
        ok_status=302, method="post", data={"role": "employee"},
    ),
    "accounts:user_revoke_role": Row(
        lambda w: reverse("accounts:user_revoke_role", args=[_person_with_sign_in(w).pk]), ok=LEDS_REP,
        ok_status=302, method="post", data={"role": "employee"},
    ),
    "accounts:user_reset_mfa": Row(
        lambda w: reverse("accounts:user_reset_mfa", args=[_person_with_sign_in(w).pk]), ok=LEDS_REP,
        ok_status=302, method="post",
    ),
    "accounts:user_set_active": Row(
        lambda w: reverse("accounts:user_set_active", args=[_person_with_sign_in(w).pk]), ok=LEDS_REP,
        ok_status=302, method="post", data={"active": "0", "reason": "Left the unit"},
    ),
    "accounts:locked_accounts": Row(lambda w: reverse("accounts:locked_accounts"), ok=LEDS_REP, foreign=200),
    "accounts:unlock": Row(lambda w: reverse("accounts:unlock", args=[_lock(w).pk]), ok=LEDS_REP, ok_status=302,
                           method="post"),
    # a link from an e-mail: an unknown, used or expired token is simply not there, for everyone
    "accounts:accept_invitation": Row(
        lambda w: reverse("accounts:accept_invitation", args=["not-a-real-token"]), ok=frozenset(), denied=404,
        foreign=404, anonymous=404,
    ),
}
