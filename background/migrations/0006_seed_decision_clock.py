"""R-BG-2: the background decision clock's row of the rule table (60 days from submission, assumed; issue 22).

The row is reference data in code (background/defaults.py, ensured by common.reference_data after every migrate):
this migration only keeps its place in the graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("background", "0005_seed_rescreening"), ("compliance", "0006_verdict_codes")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
