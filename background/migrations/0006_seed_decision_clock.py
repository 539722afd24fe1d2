"""Once a seeding data migration; the rows are reference data in code now (background/defaults.py, ensured by
common.reference_data after every migrate and flush). Kept as a no-op so the migration graph is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("background", "0005_seed_rescreening"), ("compliance", "0006_verdict_codes")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
