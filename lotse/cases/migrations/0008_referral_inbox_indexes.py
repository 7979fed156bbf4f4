# Indexes for the unit's referral lists at scale (decision 0046): the open referrals oldest first
# (housing inspection's notices of the Clearingstelle), and the inbox by due date, none last,
# in two parts (open, closed) that the inbox page reads in order and merges.

import datetime

import django.db.models.functions.comparison
from django.db import migrations, models

OPEN = models.Q(("access_ended_at", None), ("status__in", ["accepted", "in_progress", "proposed"]))
CLOSED = models.Q(("access_ended_at", None), ("status__in", ["declined", "done", "withdrawn"]))


def due_sort():
    return django.db.models.functions.comparison.Coalesce(
        "due_date", models.Value(datetime.date(9999, 12, 31)), output_field=models.DateField()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_referral_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                condition=OPEN,
                fields=["to_unit", "created_at", "id"],
                name="referral_inbox_open_age_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                models.F("to_unit"),
                due_sort(),
                models.F("created_at"),
                models.F("id"),
                condition=OPEN,
                name="referral_inbox_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="referral",
            index=models.Index(
                models.F("to_unit"),
                due_sort(),
                models.F("created_at"),
                models.F("id"),
                condition=CLOSED,
                name="referral_inbox_closed_idx",
            ),
        ),
    ]
