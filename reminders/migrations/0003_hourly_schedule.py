"""Beat wakes the sweep every hour; each agency is served once its own clock passes REMINDER_HOUR (issue 9).

A daily 06:00 Pacific run reached agencies in Mountain time an hour late; the hourly tick lets each agency get
its reminders at its own morning hour, and catches up a missed tick on the next one.
"""

from django.db import migrations

OLD = "Queue today's reminders (daily)"
NEW = "Queue reminders and weekly digests (hourly; each agency at its own REMINDER_HOUR)"


def hourly(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC",
    )
    task = PeriodicTask.objects.filter(task="reminders.sweep").first()
    if task is None:
        PeriodicTask.objects.create(name=NEW, task="reminders.sweep", crontab=crontab)
    else:
        task.name, task.crontab, task.interval = NEW, crontab, None
        task.save()


def daily(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="America/Los_Angeles",
    )
    PeriodicTask.objects.filter(task="reminders.sweep").update(name=OLD, crontab=crontab)


class Migration(migrations.Migration):
    dependencies = [("reminders", "0002_sweeprun")]
    operations = [migrations.RunPython(hourly, daily)]
