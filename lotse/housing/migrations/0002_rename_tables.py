"""The taken-over tables get the housing app's names (``housing_building``, ``housing_dwelling``);
rows, ids and the foreign keys pointing at them stay. The content types follow, so that
permissions and admin history name the housing app."""

from django.db import migrations


def move_content_types(apps, schema_editor, source="people", target="housing"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("building", "dwelling"):
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue  # created by a post_migrate run in between; the old row stays unused
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="housing", target="people")


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0001_initial"),
        ("people", "0010_buildings_and_dwellings_to_housing"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="building", table=None),
        migrations.AlterModelTable(name="dwelling", table=None),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
