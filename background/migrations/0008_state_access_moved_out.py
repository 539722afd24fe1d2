"""State-system accounts moved to the state_access app (issue 16). Their tables stay (state_access's models name
them), so background only forgets the models: a state-only delete, after state_access has taken them over and
paperwork's foreign key points there."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('background', '0007_denial_reason_not_recorded'),
        ('state_access', '0001_initial'),
        ('paperwork', '0004_account_in_state_access'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.DeleteModel(name='HistoricalAccessReviewItem'),
            migrations.DeleteModel(name='AccessReviewItem'),
            migrations.DeleteModel(name='HistoricalAccessReview'),
            migrations.DeleteModel(name='AccessReview'),
            migrations.DeleteModel(name='HistoricalPasswordResetAssist'),
            migrations.DeleteModel(name='PasswordResetAssist'),
            migrations.DeleteModel(name='HistoricalDutyTransfer'),
            migrations.DeleteModel(name='DutyTransfer'),
            migrations.DeleteModel(name='HistoricalStateAccount'),
            migrations.DeleteModel(name='StateAccount'),
            migrations.DeleteModel(name='HistoricalStateSystem'),
            migrations.DeleteModel(name='StateSystem'),
        ]),
    ]
