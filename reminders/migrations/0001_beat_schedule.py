"""The default schedule, visible and editable in the admin (django-celery-beat): the morning sweep, and an
outbox delivery run every minute so rows queued while Redis was down are caught up (issue 9)."""

from django.db import migrations

SWEEP = "Queue today's reminders (daily)"
DELIVER = "Deliver the e-mail outbox (every minute)"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="America/Los_Angeles",
    )
    if not PeriodicTask.objects.filter(task="reminders.sweep").exists():  # 0003 renames it; run twice, make one
        PeriodicTask.objects.create(name=SWEEP, task="reminders.sweep", crontab=crontab)
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(name=DELIVER, defaults={"task": "notifications.deliver_outbox",
                                                               "interval": every_minute})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[SWEEP, DELIVER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
