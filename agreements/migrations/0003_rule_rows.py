"""R-AGR-2's numbers in the rule table (editable on the rule table page), and the daily review-reminder run."""

from django.db import migrations

SCHEDULE = "Agreement review reminders and re-sign notices (daily)"


def seed(apps, schema_editor):
    from agreements.defaults import AGREEMENT_RULES

    RuleSetting = apps.get_model("compliance", "RuleSetting")
    for obligation, rule_id, title, value, unit, lead in AGREEMENT_RULES:
        RuleSetting.objects.get_or_create(
            obligation=obligation,
            defaults={"rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit,
                      "lead_days": lead, "overdue_repeat_days": 7},
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="America/Los_Angeles",
    )
    PeriodicTask.objects.get_or_create(name=SCHEDULE, defaults={"task": "agreements.send_agreement_reminders",
                                                                "crontab": crontab})


def unseed(apps, schema_editor):
    from agreements.defaults import AGREEMENT_RULES

    apps.get_model("compliance", "RuleSetting").objects.filter(
        obligation__in=[row[0] for row in AGREEMENT_RULES]).delete()
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_signatories_reviews_document"),
        ("compliance", "0002_seed_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
