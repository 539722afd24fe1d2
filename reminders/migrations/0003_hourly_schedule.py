"""Once a seeding data migration; the rows are reference data in code now (reminders/defaults.py, ensured by
common.reference_data after every migrate and flush). Kept as a no-op so the migration graph is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reminders", "0002_sweeprun")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
