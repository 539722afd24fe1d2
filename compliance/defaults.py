"""The rule table's defaults, from RULES.md, and the nightly schedule; ensured by common.reference_data."""

DEFAULT_RULES = [
    # obligation, rule ID, title, period, unit, lead days
    ("fingerprints", "R-FP-1", "fingerprints submitted within 30 days of assignment", 30, "days", [20, 10]),
    ("training_guide_issue", "R-CE-2", "training guide issued within 10 days of first needing access",
     10, "days", [5]),
    ("training_guide_completion", "R-CE-2", "training guide completed within 60 days of issue",
     60, "days", [30, 14, 7]),
    ("initial_certification", "R-CE-3", "initial certification within 6 months of assignment",
     6, "months", [60, 30, 7]),
    ("recertification", "R-CE-4", "recertification every 24 months", 24, "months", [90, 60, 30, 7]),
    ("security_awareness", "R-SA-1", "security awareness training before access, then every 12 months",
     12, "months", [60, 30, 7]),
    ("security_retraining", "R-SA-1", "security awareness retraining within 30 days of an incident",
     30, "days", [14, 7]),
]

SCHEDULES = [
    {"name": "Recompute stored obligations (nightly)", "task": "compliance.refresh_obligations",
     "crontab": {"minute": "5", "hour": "0", "timezone": "America/Los_Angeles"}},
]
