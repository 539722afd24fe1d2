from django.db import migrations


def seed(apps, schema_editor):
    from validations.defaults import RECORD_TYPES, VALIDATION_RULES

    RecordType = apps.get_model("validations", "RecordType")
    for mke, name, is_person, is_contact in RECORD_TYPES:
        RecordType.objects.get_or_create(
            mke=mke, defaults={"name": name, "is_person_record": is_person, "is_contact_required": is_contact})
    RuleSetting = apps.get_model("compliance", "RuleSetting")
    for obligation, rule_id, title, value, unit, lead in VALIDATION_RULES:
        RuleSetting.objects.get_or_create(
            obligation=obligation,
            defaults={"rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit,
                      "lead_days": lead, "overdue_repeat_days": 7},
        )


class Migration(migrations.Migration):
    dependencies = [("validations", "0001_initial"), ("compliance", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
