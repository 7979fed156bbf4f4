# The housing register's lists read from indexes (decision 0043): inspections newest planned
# first, buildings by address.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0005_encrypted_files"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(fields=["organisation", "-planned_at", "-id"], name="inspection_list_idx"),
        ),
        migrations.AddIndex(
            model_name="building",
            index=models.Index(
                fields=["organisation", "street", "house_number", "id"], name="building_list_idx"
            ),
        ),
    ]
