"""Once a seeding data migration; the rows are reference data in code now (paperwork/defaults.py, ensured by
common.reference_data after every migrate and flush). Kept as a no-op so the migration graph is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("paperwork", "0002_osp_request_batches"), ("compliance", "0005_rule_in_force")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
