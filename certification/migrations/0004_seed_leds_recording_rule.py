"""R-CE-5: the rule-table row for "a class pass is recorded in LEDS within N days" (default 5)."""

from django.db import migrations

# obligation, rule ID, title, period, unit, lead days — as in compliance/defaults.py
ROW = ("class_pass_recorded_in_leds", "R-CE-5", "class passes recorded in LEDS within 5 days of the class",
       5, "days", [])


def seed(apps, schema_editor):
    RuleSetting = apps.get_model("compliance", "RuleSetting")
    obligation, rule_id, title, value, unit, lead = ROW
    RuleSetting.objects.get_or_create(obligation=obligation, defaults={
        "rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit, "lead_days": lead,
        "overdue_repeat_days": 7})


def unseed(apps, schema_editor):
    apps.get_model("compliance", "RuleSetting").objects.filter(obligation=ROW[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0003_certification_classes"), ("compliance", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, unseed)]
