"""The training events' beat schedule (R-EV-3 reminders, the training unit's daily digest), ensured by
common.reference_data."""

SCHEDULES = [
    {"name": "Send training-event reminders (daily, R-EV-3)", "task": "training_events.send_event_reminders",
     "crontab": {"minute": "0", "hour": "7", "timezone": "America/Los_Angeles"}},
    {"name": "Training unit daily digest (hourly tick, once a day)", "task": "training_events.training_unit_digest",
     "crontab": {"minute": "20", "hour": "*", "timezone": "America/Los_Angeles"}},
]
