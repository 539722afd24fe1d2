"""The account a request concerns now lives in state_access (issue 16); its table did not move, so only Django's
picture of the foreign key changes (no constraint is dropped or rebuilt)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('paperwork', '0003_osp_reply_rule'),
        ('state_access', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='accountrequest',
                name='account',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='osp_requests', to='state_access.stateaccount'),
            ),
            migrations.AlterField(
                model_name='historicalaccountrequest',
                name='account',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='state_access.stateaccount'),
            ),
        ]),
    ]
