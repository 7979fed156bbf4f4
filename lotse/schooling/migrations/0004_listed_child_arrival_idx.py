# All children of a school team, last arrived first, read from an index a page at a time.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("schooling", "0003_listed_child_waiting_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="listedchild",
            index=models.Index(fields=["unit", "-arrived_on", "-id"], name="listed_child_arrival_idx"),
        ),
    ]
