"""Buildings and dwellings now belong to the housing app (``housing.0001`` took over their model
state). The foreign keys of persons and households point there; in the database nothing
changes: the same tables, the same rows, the same constraints."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_known_name_tokens"),
        ("housing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="household",
                    name="dwelling",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="households",
                        to="housing.dwelling",
                    ),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="dwelling",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="registered_persons",
                        to="housing.dwelling",
                        verbose_name="Wohnung laut Melderegister",
                    ),
                ),
                migrations.DeleteModel(name="Dwelling"),
                migrations.DeleteModel(name="Building"),
            ],
            database_operations=[],
        ),
    ]
