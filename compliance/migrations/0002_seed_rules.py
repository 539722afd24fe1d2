from django.db import migrations


def seed(apps, schema_editor):
    from compliance.defaults import DEFAULT_RULES

    RuleSetting = apps.get_model("compliance", "RuleSetting")
    for obligation, rule_id, title, value, unit, lead in DEFAULT_RULES:
        RuleSetting.objects.update_or_create(
            obligation=obligation,
            defaults={"rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit,
                      "lead_days": lead, "overdue_repeat_days": 7},
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
