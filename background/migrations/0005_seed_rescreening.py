"""R-BG-3: the rescreening row of the rule table (in force by default; an administrator may switch it off)."""

import importlib

from django.db import migrations


def seed(apps, schema_editor):
    importlib.import_module("background.migrations.0004_seed_systems_and_rules").seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("background", "0004_seed_systems_and_rules"), ("compliance", "0005_rule_in_force")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
