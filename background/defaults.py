"""This app's rows of the rule table (RULES.md), ensured by common.reference_data.

Same shape as compliance/defaults.py: obligation, rule ID, title, period, unit, lead days. The evaluators fall
back to these when a row is missing, as ``compliance.selectors.rule_table`` does for its own defaults.
"""

from compliance.engine import Rule

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
]

# Who acts on each obligation and what their reminder says (issue 22; registered in apps.py, reworded in the rule
# table's guidance): the person gets fingerprinted, the LASO follows the check (the accounts: state_access/defaults.py).
ACTIONS = {
    "fingerprints": ("person", "Have your fingerprints taken for the LEDS background check (your LASO says where); "
                     "the LASO records the submission in LEDS Admin."),
    "background_check": ("laso", "Follow up this person's fingerprint-based check with Oregon State Police and record "
                         "the decision (cleared, denied, exception) on their Background checks page in LEDS Admin."),
    "background_rescreening": ("laso", "Submit a new fingerprint-based check for this person and record the "
                               "submission on their Background checks page in LEDS Admin."),
}

DEFAULTS = {obligation: Rule(obligation, rule_id, title, value, unit, tuple(sorted(lead, reverse=True)))
            for obligation, rule_id, title, value, unit, lead in BACKGROUND_RULES}


def rule(rules, obligation: str) -> Rule:
    """The rule table's row, or this app's default when the row is missing."""
    return rules.get(obligation) or DEFAULTS[obligation]
