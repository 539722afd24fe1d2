from django.db import migrations


def seed(apps, schema_editor):
    RuleSetting = apps.get_model("compliance", "RuleSetting")
    obligation, rule_id, title, value, unit, lead = ("osp_request_reply", "R-AC-1",
                                                     "OSP answers an account request within 14 days (assumed)",
                                                     14, "days", [])
    RuleSetting.objects.get_or_create(obligation=obligation, defaults={
        "rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit, "lead_days": lead})


class Migration(migrations.Migration):
    dependencies = [("paperwork", "0002_osp_request_batches"), ("compliance", "0005_rule_in_force")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
