"""R-AU-1's row of the rule table, ensured by common.reference_data; the fallback when the row is missing."""

AUDIT_RULES = [
    # obligation, rule ID, title, period, unit, lead days
    ("state_audit", "R-AU-1", "state audit every 3 years", 36, "months", [90]),
]

# A packet whose build could not be handed to a worker (the broker was down) is picked up by this tick.
SCHEDULES = [
    {"name": "Build audit packets left waiting (every minute)", "task": "audit.build_waiting_packets",
     "interval": {"every": 1, "period": "minutes"}},
]
