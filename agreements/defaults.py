"""The agreements' rows of the rule table (R-AGR-2; the fallback when a row is missing) and their daily run,
ensured by common.reference_data."""

AGREEMENT_RULES = [
    # obligation, rule ID, title, period, unit, lead days
    ("agreement_review", "R-AGR-2", "agreements reviewed every 12 months (reminder 30 days before)", 12, "months",
     [30]),
    ("agreement_resign", "R-AGR-2", "agreement re-signed within 30 days of the signing official leaving", 30, "days",
     []),
]

SCHEDULES = [
    {"name": "Agreement review reminders and re-sign notices (daily)", "task": "agreements.send_agreement_reminders",
     "crontab": {"minute": "15", "hour": "6", "timezone": "America/Los_Angeles"}},
]
