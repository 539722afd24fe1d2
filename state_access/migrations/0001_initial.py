"""State-system accounts move here from background (issue 16) without moving data.

The tables stay where background's 0003 made them (each model names its ``db_table``, simple-history its
``table_name``), so these operations change only Django's picture of the models (state); background 0008 takes
them out of background's picture. The content types are relabelled so admin log entries and permissions keep
pointing at the same models (on a fresh database there are none yet: they are made after migrate).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["statesystem", "stateaccount", "dutytransfer", "accessreview", "accessreviewitem", "passwordresetassist"]
MODELS += [f"historical{model}" for model in MODELS]


def _relabel(apps, *, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    taken = set(content_type.objects.filter(app_label=new, model__in=MODELS).values_list("model", flat=True))
    content_type.objects.filter(app_label=old, model__in=[m for m in MODELS if m not in taken]).update(app_label=new)


def relabel_content_types(apps, schema_editor):
    _relabel(apps, old="background", new="state_access")


def restore_content_types(apps, schema_editor):
    _relabel(apps, old="state_access", new="background")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('background', '0007_denial_reason_not_recorded'),  # the tables exist (background 0003)
        ('contenttypes', '0002_remove_content_type_name'),
        ('people', '0002_column_mapping'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='AccessReview',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('started_at', models.DateTimeField()),
                    ('signed_on', models.DateField(blank=True, null=True)),
                    ('signed_at', models.DateTimeField(blank=True, null=True)),
                    ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='access_reviews', to='people.agency')),
                    ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'background_accessreview',
                    'ordering': ['-started_at'],
                },
            ),
            migrations.CreateModel(
                name='DutyTransfer',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('voided_at', models.DateTimeField(blank=True, null=True)),
                    ('void_reason', models.CharField(blank=True, max_length=300)),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('transferred_at', models.DateTimeField(verbose_name='transfer date and time')),
                    ('new_duties', models.CharField(blank=True, max_length=120)),
                    ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='duty_transfers', to='people.person')),
                    ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('voided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'background_dutytransfer',
                    'ordering': ['-transferred_at'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalAccessReview',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('started_at', models.DateTimeField()),
                    ('signed_on', models.DateField(blank=True, null=True)),
                    ('signed_at', models.DateTimeField(blank=True, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.agency')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('signed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('started_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical access review',
                    'verbose_name_plural': 'historical access reviews',
                    'db_table': 'background_historicalaccessreview',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalDutyTransfer',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('voided_at', models.DateTimeField(blank=True, null=True)),
                    ('void_reason', models.CharField(blank=True, max_length=300)),
                    ('recorded_at', models.DateTimeField(blank=True, editable=False)),
                    ('transferred_at', models.DateTimeField(verbose_name='transfer date and time')),
                    ('new_duties', models.CharField(blank=True, max_length=120)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                    ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('voided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical duty transfer',
                    'verbose_name_plural': 'historical duty transfers',
                    'db_table': 'background_historicaldutytransfer',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalStateSystem',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('name', models.CharField(max_length=60)),
                    ('description', models.CharField(blank=True, max_length=200)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('agency', models.ForeignKey(blank=True, db_constraint=False, help_text="Empty for the state's systems.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.agency')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical state system',
                    'verbose_name_plural': 'historical state systems',
                    'db_table': 'background_historicalstatesystem',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='StateAccount',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('voided_at', models.DateTimeField(blank=True, null=True)),
                    ('void_reason', models.CharField(blank=True, max_length=300)),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('username', models.CharField(blank=True, max_length=80, verbose_name='user name on the system')),
                    ('status', models.CharField(choices=[('requested', 'Requested'), ('active', 'Active'), ('disable_requested', 'Disable requested'), ('disabled', 'Disabled')], default='requested', max_length=20)),
                    ('requested_at', models.DateTimeField()),
                    ('activated_at', models.DateTimeField(blank=True, null=True)),
                    ('disable_requested_at', models.DateTimeField(blank=True, null=True)),
                    ('disabled_at', models.DateTimeField(blank=True, null=True)),
                    ('last_login_on', models.DateField(blank=True, help_text='From the monthly account-activity import (R-AC-3).', null=True, verbose_name='last login')),
                    ('activated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('disable_requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('disabled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='state_accounts', to='people.person')),
                    ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('voided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'background_stateaccount',
                    'ordering': ['system__name', '-requested_at'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalAccessReviewItem',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('decision', models.CharField(choices=[('pending', 'Not yet reviewed'), ('confirmed', 'Confirmed'), ('disable', 'Marked for disablement')], default='pending', max_length=12)),
                    ('decided_at', models.DateTimeField(blank=True, null=True)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('review', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='state_access.accessreview')),
                    ('account', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='state_access.stateaccount')),
                ],
                options={
                    'verbose_name': 'historical access review item',
                    'verbose_name_plural': 'historical access review items',
                    'db_table': 'background_historicalaccessreviewitem',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='AccessReviewItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('decision', models.CharField(choices=[('pending', 'Not yet reviewed'), ('confirmed', 'Confirmed'), ('disable', 'Marked for disablement')], default='pending', max_length=12)),
                    ('decided_at', models.DateTimeField(blank=True, null=True)),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('review', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='items', to='state_access.accessreview')),
                    ('account', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_items', to='state_access.stateaccount')),
                ],
                options={
                    'db_table': 'background_accessreviewitem',
                    'ordering': ['account__person__last_name', 'account__person__first_name', 'account__system__name'],
                },
            ),
            migrations.CreateModel(
                name='StateSystem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=60)),
                    ('description', models.CharField(blank=True, max_length=200)),
                    ('agency', models.ForeignKey(blank=True, help_text="Empty for the state's systems.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='state_systems', to='people.agency')),
                ],
                options={
                    'db_table': 'background_statesystem',
                    'ordering': ['agency_id', 'name'],
                },
            ),
            migrations.AddField(
                model_name='stateaccount',
                name='system',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accounts', to='state_access.statesystem'),
            ),
            migrations.CreateModel(
                name='PasswordResetAssist',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reset_at', models.DateTimeField(verbose_name='reset date and time')),
                    ('recorded_at', models.DateTimeField(auto_now_add=True)),
                    ('person', models.ForeignKey(help_text='Who asked for the reset.', on_delete=django.db.models.deletion.PROTECT, related_name='password_reset_assists', to='people.person')),
                    ('reset_by', models.ForeignKey(help_text='Who reset the password.', on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('system', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='state_access.statesystem')),
                ],
                options={
                    'db_table': 'background_passwordresetassist',
                    'ordering': ['-reset_at'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalStateAccount',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('voided_at', models.DateTimeField(blank=True, null=True)),
                    ('void_reason', models.CharField(blank=True, max_length=300)),
                    ('recorded_at', models.DateTimeField(blank=True, editable=False)),
                    ('username', models.CharField(blank=True, max_length=80, verbose_name='user name on the system')),
                    ('status', models.CharField(choices=[('requested', 'Requested'), ('active', 'Active'), ('disable_requested', 'Disable requested'), ('disabled', 'Disabled')], default='requested', max_length=20)),
                    ('requested_at', models.DateTimeField()),
                    ('activated_at', models.DateTimeField(blank=True, null=True)),
                    ('disable_requested_at', models.DateTimeField(blank=True, null=True)),
                    ('disabled_at', models.DateTimeField(blank=True, null=True)),
                    ('last_login_on', models.DateField(blank=True, help_text='From the monthly account-activity import (R-AC-3).', null=True, verbose_name='last login')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('activated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('disable_requested_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('disabled_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                    ('requested_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('voided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('system', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='state_access.statesystem')),
                ],
                options={
                    'verbose_name': 'historical state account',
                    'verbose_name_plural': 'historical state accounts',
                    'db_table': 'background_historicalstateaccount',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HistoricalPasswordResetAssist',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('reset_at', models.DateTimeField(verbose_name='reset date and time')),
                    ('recorded_at', models.DateTimeField(blank=True, editable=False)),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('person', models.ForeignKey(blank=True, db_constraint=False, help_text='Who asked for the reset.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.person')),
                    ('reset_by', models.ForeignKey(blank=True, db_constraint=False, help_text='Who reset the password.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('system', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='state_access.statesystem')),
                ],
                options={
                    'verbose_name': 'historical password reset assist',
                    'verbose_name_plural': 'historical password reset assists',
                    'db_table': 'background_historicalpasswordresetassist',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.AddConstraint(
                model_name='accessreview',
                constraint=models.UniqueConstraint(condition=models.Q(('signed_at__isnull', True)), fields=('agency',), name='one_open_access_review_per_agency'),
            ),
            migrations.AddConstraint(
                model_name='accessreviewitem',
                constraint=models.UniqueConstraint(fields=('review', 'account'), name='one_review_item_per_account'),
            ),
            migrations.AddConstraint(
                model_name='statesystem',
                constraint=models.UniqueConstraint(condition=models.Q(('agency__isnull', True)), fields=('name',), name='state_system_name_unique'),
            ),
            migrations.AddConstraint(
                model_name='statesystem',
                constraint=models.UniqueConstraint(fields=('agency', 'name'), name='agency_system_name_unique'),
            ),
            migrations.AddConstraint(
                model_name='stateaccount',
                constraint=models.UniqueConstraint(condition=models.Q(models.Q(('status', 'disabled'), _negated=True), ('voided_at__isnull', True)), fields=('person', 'system'), name='one_open_account_per_person_and_system'),
            ),
            migrations.AddConstraint(
                model_name='stateaccount',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'active'), _negated=True), ('activated_at__isnull', False), _connector='OR'), name='account_active_has_time'),
            ),
            migrations.AddConstraint(
                model_name='stateaccount',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'disabled'), _negated=True), ('disabled_at__isnull', False), _connector='OR'), name='account_disabled_has_time'),
            ),
        ]),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
