"""The rule table's osp_request_reply row is reference data in code (paperwork/defaults.py, ensured by
common.reference_data after every migrate); this migration only keeps its place in the graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("paperwork", "0002_osp_request_batches"), ("compliance", "0005_rule_in_force")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
