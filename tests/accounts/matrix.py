from django.urls import reverse

from tests.matrix import AGENCY_READERS, EVERY_ROLE, Row

LASO = frozenset({"laso"})

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
}
