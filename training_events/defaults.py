"""The training events' beat schedule (R-EV-3), ensured by common.reference_data."""

SCHEDULES = [
    {"name": "Send training-event reminders (daily, R-EV-3)", "task": "training_events.send_event_reminders",
     "crontab": {"minute": "0", "hour": "7", "timezone": "America/Los_Angeles"}},
]
