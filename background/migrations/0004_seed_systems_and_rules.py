from django.db import migrations

STATE_SYSTEMS = [
    ("WebLEDS", "The LEDS web interface"),
    ("LEDS 20/20 / eAgent", "LEDS 20/20 message switch (eAgent)"),
    ("nexTEST", "Certification testing"),
    ("CJIS Online", "Security awareness training"),
]


def seed(apps, schema_editor):
    """R-AC-1: the state's systems; R-BG-1, R-AC-2..4: this app's rows of the rule table."""
    from background.defaults import BACKGROUND_RULES

    StateSystem = apps.get_model("background", "StateSystem")
    for name, description in STATE_SYSTEMS:
        StateSystem.objects.get_or_create(agency=None, name=name, defaults={"description": description})
    RuleSetting = apps.get_model("compliance", "RuleSetting")
    for obligation, rule_id, title, value, unit, lead in BACKGROUND_RULES:
        RuleSetting.objects.get_or_create(
            obligation=obligation,
            defaults={"rule_id": rule_id, "title": title, "period_value": value, "period_unit": unit,
                      "lead_days": lead, "overdue_repeat_days": 7},
        )


class Migration(migrations.Migration):
    dependencies = [("background", "0003_state_accounts"), ("compliance", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
