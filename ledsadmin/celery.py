"""The Celery app: reads CELERY_* settings and finds every app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ledsadmin.settings")

app = Celery("ledsadmin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
