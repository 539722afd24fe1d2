from django.urls import reverse

from tests.matrix import AGENCY_READERS, Row

DASHBOARD = AGENCY_READERS | {"supervisor"}

ROWS = {
    "compliance:dashboard": Row(lambda w: reverse("compliance:dashboard"), ok=DASHBOARD, foreign=200),
    "compliance:export": Row(lambda w: reverse("compliance:export"), ok=DASHBOARD, foreign=200),
    "compliance:rules": Row(lambda w: reverse("compliance:rules"), ok=DASHBOARD | {"employee"}, foreign=200),
    # deployment administrators only (Django superusers); no agency role edits the rule table
    "compliance:rule_edit": Row(lambda w: reverse("compliance:rule_edit", args=[1]), ok=frozenset(), foreign=403),
}
