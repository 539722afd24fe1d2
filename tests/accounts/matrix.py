from django.urls import reverse

from tests.matrix import AGENCY_READERS, Row

LASO = frozenset({"laso"})

ROWS = {
    "accounts:security_log": Row(lambda w: reverse("accounts:security_log"), ok=AGENCY_READERS, foreign=200),
    "accounts:security_log_export": Row(
        lambda w: reverse("accounts:security_log_export"), ok=AGENCY_READERS, foreign=200
    ),
    "accounts:security_log_review": Row(
        lambda w: reverse("accounts:security_log_review"), ok=LASO, ok_status=302, method="post", foreign=403
    ),
}
