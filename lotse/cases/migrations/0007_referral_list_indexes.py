# The referral lists read from indexes (decision 0043): the open referrals by due date for the
# start pages' agenda, and the outbox newest first.

from django.db import migrations, models

OPEN = models.Q(("access_ended_at", None), ("status__in", ["accepted", "in_progress", "proposed"]))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_encrypted_files"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=OPEN,
                fields=["to_unit", "due_date", "created_at", "id"],
                name="referral_inbox_open_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(fields=["from_unit", "-created_at", "-id"], name="referral_outbox_list_idx"),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=OPEN, fields=["from_unit", "due_date", "id"], name="referral_outbox_open_idx"
            ),
        ),
    ]
