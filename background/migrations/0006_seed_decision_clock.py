"""R-BG-2: the background decision clock's row of the rule table (60 days from submission, assumed; issue 22)."""

import importlib

from django.db import migrations


def seed(apps, schema_editor):
    importlib.import_module("background.migrations.0004_seed_systems_and_rules").seed(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("background", "0005_seed_rescreening"), ("compliance", "0006_verdict_codes")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
