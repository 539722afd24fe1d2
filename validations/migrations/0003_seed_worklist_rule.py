"""R-VA-3: the rule-table row for a validator's worklist (entries given an outcome by the list's due date)."""

from django.db import migrations

# obligation, rule ID, title, period, unit, lead days — as in validations/defaults.py. The due date is the
# list's own (received + validation_certification's days); the lead days suit a 30-day list.
ROW = ("validation_worklist", "R-VA-3", "assigned validation entries given an outcome by the list's due date",
       30, "days", [14, 7, 2])


def seed(apps, schema_editor):
    RuleSetting = apps.get_model("compliance", "RuleSetting")
    obligation, rule_id, title, value, unit, lead = ROW
    RuleSetting.objects.get_or_create(obligation=obligation, defaults={
        "rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit, "lead_days": lead,
        "overdue_repeat_days": 7})


def unseed(apps, schema_editor):
    apps.get_model("compliance", "RuleSetting").objects.filter(obligation=ROW[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("validations", "0002_seed_record_types_and_rules"), ("compliance", "0005_rule_in_force")]
    operations = [migrations.RunPython(seed, unseed)]
