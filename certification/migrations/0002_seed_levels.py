from django.db import migrations

DEFAULT_LEVELS = ["Inquiry", "Less Than Full Access", "Full Access"]  # R-CE-1 (assumed defaults)


def seed(apps, schema_editor):
    CertificationLevel = apps.get_model("certification", "CertificationLevel")
    for order, name in enumerate(DEFAULT_LEVELS):
        CertificationLevel.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
