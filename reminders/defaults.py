"""The reminders' beat schedule, editable in the admin (django-celery-beat), ensured by common.reference_data.

The sweep wakes every hour and serves each agency once its own clock passes REMINDER_HOUR (issue 9); the outbox
is delivered every minute so rows queued while Redis was down are caught up.
"""

SCHEDULES = [
    {"name": "Queue reminders and weekly digests (hourly; each agency at its own REMINDER_HOUR)",
     "task": "reminders.sweep", "crontab": {"minute": "0", "hour": "*", "timezone": "UTC"}},
    {"name": "Deliver the e-mail outbox (every minute)", "task": "notifications.deliver_outbox",
     "interval": {"every": 1, "period": "minutes"}},
]
