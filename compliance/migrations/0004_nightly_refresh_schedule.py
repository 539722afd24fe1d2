from django.db import migrations


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="America/Los_Angeles"
    )
    PeriodicTask.objects.get_or_create(
        name="Recompute stored obligations (nightly)",
        defaults={"task": "compliance.refresh_obligations", "crontab": crontab, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="Recompute stored obligations (nightly)").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0003_agencycomputation_storedobligation"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(schedule, unschedule)]
