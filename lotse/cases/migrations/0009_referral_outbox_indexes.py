# The outbox read in parts, each newest first from an index (decision 0046, Nachtrag): the
# referrals the receiver works on, those cut off by a withdrawn consent while open, the closed.

from django.db import migrations, models

OPEN = ["accepted", "in_progress", "proposed"]
ORDER = ["from_unit", "-created_at", "-id"]


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_referral_inbox_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("access_ended_at", None), ("status__in", OPEN)),
                fields=ORDER,
                name="referral_outbox_reached_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("access_ended_at__isnull", False), ("status__in", OPEN)),
                fields=ORDER,
                name="referral_outbox_ended_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=models.Q(("status__in", ["declined", "done", "withdrawn"])),
                fields=ORDER,
                name="referral_outbox_closed_idx",
            ),
        ),
    ]
