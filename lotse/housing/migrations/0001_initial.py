"""The housing app takes over ``people.Building`` and ``people.Dwelling``: only Django's model
state moves here, the tables and their rows (ids and all) stay as they are. The people app
then re-points its foreign keys (``people.0010``) and ``0002`` renames the tables."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("people", "0009_known_name_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Building",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("street", models.CharField(max_length=200, verbose_name="Straße")),
                        ("house_number", models.CharField(max_length=20, verbose_name="Hausnummer")),
                        ("postcode", models.CharField(max_length=10, verbose_name="Postleitzahl")),
                        ("city", models.CharField(max_length=100, verbose_name="Ort")),
                        ("district", models.CharField(blank=True, max_length=100, verbose_name="Stadtteil")),
                    ],
                    options={
                        "verbose_name": "Gebäude",
                        "verbose_name_plural": "Gebäude",
                        "ordering": ["street", "house_number"],
                        "db_table": "people_building",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("street", "house_number", "postcode"), name="building_address_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Dwelling",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("label", models.CharField(help_text="z. B. „2. OG links“", max_length=60, verbose_name="Lage")),
                        (
                            "area_m2",
                            models.DecimalField(blank=True, decimal_places=1, max_digits=6, null=True, verbose_name="Wohnfläche in m²"),
                        ),
                        ("rooms", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="Zimmer")),
                        (
                            "building",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT, related_name="dwellings", to="housing.building"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "Wohnung",
                        "verbose_name_plural": "Wohnungen",
                        "ordering": ["building", "label"],
                        "db_table": "people_dwelling",
                        "constraints": [
                            models.UniqueConstraint(fields=("building", "label"), name="dwelling_label_unique")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
