"""The sign-in app's reference data: the security log's beat schedule (R-SEC-5), ensured by common.reference_data."""

SCHEDULES = [
    {"name": "Verify the security log's hash chain (nightly)", "task": "accounts.verify_security_log",
     "crontab": {"minute": "20", "hour": "1", "timezone": "America/Los_Angeles"}},
    {"name": "Prune the security log past its retention (weekly)", "task": "accounts.prune_security_log",
     "crontab": {"minute": "40", "hour": "1", "day_of_week": "0", "timezone": "America/Los_Angeles"}},
]
