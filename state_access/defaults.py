"""This app's reference data (ensured by common.reference_data): the state's systems and the rule table's rows.

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

ACCOUNT_RULES = [
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
# table's guidance): the LEDS Representative disables the accounts.
ACTIONS = {
    "account_disable": ("leds_rep", "Disable this person's account on the state system, then record the step on "
                        "their State system accounts page in LEDS Admin."),
    "account_inactive": ("leds_rep", "Disable this unused account on the state system (or record a recent login), "
                         "then record the step on the person's State system accounts page in LEDS Admin."),
}

DEFAULTS = {obligation: Rule(obligation, rule_id, title, value, unit, tuple(sorted(lead, reverse=True)))
            for obligation, rule_id, title, value, unit, lead in ACCOUNT_RULES}


def rule(rules, obligation: str) -> Rule:
    """The rule table's row, or this app's default when the row is missing."""
    return rules.get(obligation) or DEFAULTS[obligation]
