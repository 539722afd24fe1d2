"""This app's rows of the rule table (RULES.md), ensured by common.reference_data.

Same shape as compliance/defaults.py: obligation, rule ID, title, period, unit, lead days. The evaluators fall
back to these when a row is missing, as ``compliance.selectors.rule_table`` does for its own defaults.
"""

from compliance.engine import Rule

# R-AC-1: the state's systems (an agency adds its own)
STATE_SYSTEMS = [
    ("WebLEDS", "The LEDS web interface"),
    ("LEDS 20/20 / eAgent", "LEDS 20/20 message switch (eAgent)"),
    ("nexTEST", "Certification testing"),
    ("CJIS Online", "Security awareness training"),
]

BACKGROUND_RULES = [
    # R-BG-1: open until cleared; with no check on file it runs on R-FP-1's clock (the fingerprints row)
    ("background_check", "R-BG-1", "background check cleared before any LEDS account is active",
     30, "days", [20, 10]),
    # R-BG-2: a check with no decision is expected within 60 days of submission (assumed: no source gives a
    # number; RULES.md marks it assumed); past it the background obligation is overdue. A denial cites this row too.
    ("background_decision", "R-BG-2", "background check decided within 60 days of submission (assumed); "
     "a denial with no later clearance or granted exception makes the person ineligible", 60, "days", [14]),
    # R-BG-3: rescreening is recommended with no interval set; 5 years assumed, and an administrator may switch it off
    ("background_rescreening", "R-BG-3", "rescreening every 5 years after a cleared check (recommended)",
     60, "months", [90, 30]),
    # R-AC-2: 24 elapsed hours after a separation or transfer (1 day = 24 hours, counted on the clock)
    ("account_disable", "R-AC-2", "every account disabled within 24 hours of separation or transfer",
     1, "days", []),
    # R-AC-3: no login for 90 days (account_inactivity), then disabled within 7 days (account_inactive)
    ("account_inactivity", "R-AC-3", "an account with no login for 90 days is flagged for disablement",
     90, "days", []),
    ("account_inactive", "R-AC-3", "an account with no login for 90 days disabled within 7 days",
     7, "days", [7]),
    # R-AC-4: every account reviewed at least annually (agency-level: the dashboard, not the person report)
    ("access_review", "R-AC-4", "access review of every account at least annually", 12, "months", [30]),
]

# Who acts on each obligation and what their reminder says (issue 22; registered in apps.py, reworded in the rule
# table's guidance): the person gets fingerprinted, the LASO follows the check, the LEDS Representative the accounts.
ACTIONS = {
    "fingerprints": ("person", "Have your fingerprints taken for the LEDS background check (your LASO says where); "
                     "the LASO records the submission in LEDS Admin."),
    "background_check": ("laso", "Follow up this person's fingerprint-based check with Oregon State Police and record "
                         "the decision (cleared, denied, exception) on their Background checks page in LEDS Admin."),
    "background_rescreening": ("laso", "Submit a new fingerprint-based check for this person and record the "
                               "submission on their Background checks page in LEDS Admin."),
    "account_disable": ("leds_rep", "Disable this person's account on the state system, then record the step on "
                        "their State system accounts page in LEDS Admin."),
    "account_inactive": ("leds_rep", "Disable this unused account on the state system (or record a recent login), "
                         "then record the step on the person's State system accounts page in LEDS Admin."),
}

DEFAULTS = {obligation: Rule(obligation, rule_id, title, value, unit, tuple(sorted(lead, reverse=True)))
            for obligation, rule_id, title, value, unit, lead in BACKGROUND_RULES}


def rule(rules, obligation: str) -> Rule:
    """The rule table's row, or this app's default when the row is missing."""
    return rules.get(obligation) or DEFAULTS[obligation]
