"""State systems and accounts (R-AC-1..5): their pages keep the "background:" URL names (ledsadmin/urls.py)."""

from django.urls import reverse

from tests.matrix import AGENCY_READERS, Row

LEDS_REP = frozenset({"leds_rep"})


def _account(w):
    """An active account of the target person (made on first use)."""
    from state_access.factories import StateAccountFactory

    if not hasattr(w, "_account"):
        w._account = StateAccountFactory(person=w.target)
    return w._account


def _transfer(w):
    from django.utils import timezone

    from state_access.models import DutyTransfer

    if not hasattr(w, "_transfer"):
        w._transfer = DutyTransfer.objects.create(person=w.target, transferred_at=timezone.now())
    return w._transfer


def _review(w):
    from django.utils import timezone

    from state_access.models import AccessReview

    if not hasattr(w, "_review"):
        w._review = AccessReview.objects.create(agency=w.agency, started_at=timezone.now())
    return w._review


ROWS = {
    # R-AC-1..5: the LEDS Representative manages state accounts; the LASO and auditors read them
    "background:accounts": Row(lambda w: reverse("background:accounts"), ok=AGENCY_READERS, foreign=200),
    "background:person_accounts": Row(lambda w: reverse("background:person_accounts", args=[w.target.pk]),
                                      ok=AGENCY_READERS),
    "background:request_account": Row(lambda w: reverse("background:request_account", args=[w.target.pk]),
                                      ok=LEDS_REP, method="post", ok_status=302),
    # R-PE-3, R-AC-1: the confirmation of "Request disablement" (its POST: tests/state_access/test_disablement.py)
    "background:request_disablements": Row(
        lambda w: reverse("background:request_disablements", args=[w.target.pk]), ok=frozenset({"leds_rep", "laso"})),
    "background:account_step": Row(lambda w: reverse("background:account_step", args=[_account(w).pk]),
                                   ok=LEDS_REP, method="post", ok_status=302),
    "background:record_transfer": Row(lambda w: reverse("background:record_transfer", args=[w.target.pk]),
                                      ok=LEDS_REP, method="post", ok_status=302),
    "background:void": Row(lambda w: reverse("background:void", args=["transfers", _transfer(w).pk]), ok=LEDS_REP,
                           method="post", ok_status=302),
    "background:systems": Row(lambda w: reverse("background:systems"), ok=AGENCY_READERS, foreign=200),
    "background:add_system": Row(lambda w: reverse("background:add_system"), ok=LEDS_REP, method="post",
                                 ok_status=302, foreign=302),
    "background:import_activity": Row(lambda w: reverse("background:import_activity"), ok=LEDS_REP, foreign=200),
    "background:import_activity_confirm": Row(lambda w: reverse("background:import_activity_confirm"), ok=LEDS_REP,
                                              method="post", ok_status=302, foreign=302),
    # onboarding the accounts an agency already has (issue 21): the Representative and the LASO (account steps)
    "background:import_state_accounts": Row(lambda w: reverse("background:import_state_accounts"),
                                            ok=frozenset({"leds_rep", "laso"}), foreign=200),
    "background:import_state_accounts_confirm": Row(lambda w: reverse("background:import_state_accounts_confirm"),
                                                    ok=frozenset({"leds_rep", "laso"}), method="post", ok_status=302,
                                                    foreign=302),
    "background:reviews": Row(lambda w: reverse("background:reviews"), ok=AGENCY_READERS, foreign=200),
    "background:start_review": Row(lambda w: reverse("background:start_review"), ok=LEDS_REP, method="post",
                                   ok_status=302, foreign=302),
    "background:review": Row(lambda w: reverse("background:review", args=[_review(w).pk]), ok=AGENCY_READERS),
    "background:decide_review": Row(lambda w: reverse("background:decide_review", args=[_review(w).pk]),
                                    ok=LEDS_REP, method="post", ok_status=302),
    "background:sign_review": Row(lambda w: reverse("background:sign_review", args=[_review(w).pk]),
                                  ok=LEDS_REP, method="post", ok_status=302),
    "background:password_resets": Row(lambda w: reverse("background:password_resets"), ok=AGENCY_READERS,
                                      foreign=200),
    "background:record_password_reset": Row(lambda w: reverse("background:record_password_reset"),
                                            ok=frozenset({"leds_rep", "laso"}), method="post", ok_status=302,
                                            foreign=302),
}
