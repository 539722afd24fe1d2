"""Once a seeding data migration; the rows are reference data in code now (audit/defaults.py, ensured by
common.reference_data after every migrate and flush). Kept as a no-op so the migration graph is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audits_findings_packets"), ("compliance", "0002_seed_rules")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
