"""R-AU-1's number (3 years between state audits) in the rule table, editable on the rule table page."""

from django.db import migrations


def seed(apps, schema_editor):
    from audit.defaults import AUDIT_RULES

    RuleSetting = apps.get_model("compliance", "RuleSetting")
    for obligation, rule_id, title, value, unit, lead in AUDIT_RULES:
        RuleSetting.objects.get_or_create(
            obligation=obligation,
            defaults={"rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit,
                      "lead_days": lead, "overdue_repeat_days": 7},
        )


def unseed(apps, schema_editor):
    from audit.defaults import AUDIT_RULES

    apps.get_model("compliance", "RuleSetting").objects.filter(obligation__in=[r[0] for r in AUDIT_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audits_findings_packets"), ("compliance", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, unseed)]
