"""Settings for the gunicorn of bench/registration_race.py: the test settings, but tasks are queued, not run.

Under the test settings every Celery task runs eagerly inside the request that queued it (e-mail delivery, the
compliance refresh). In production a worker does that; the bench measures what the request itself does, so tasks
go to an in-memory broker nobody consumes (the outbox rows are in the database either way).
"""

from ledsadmin.settings_test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://"
OUTBOX_SCHEDULE_COALESCE_SECONDS = 1  # as in production (the test settings ask at every commit: tasks are eager)
