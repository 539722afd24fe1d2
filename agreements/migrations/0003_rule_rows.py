"""Once a seeding data migration; the rows are reference data in code now (agreements/defaults.py, ensured by
common.reference_data after every migrate and flush). Kept as a no-op so the migration graph is unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_signatories_reviews_document"),
        ("compliance", "0002_seed_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
