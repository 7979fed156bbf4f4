# The day of an activity's last date, kept with its dates, so that the list of activities shows
# those with dates still to come first without reading every rule (decision 0046).

from django.db import migrations, models


def fill(apps, schema_editor):
    from lotse.neighbourhood import recurrence

    Activity = apps.get_model("neighbourhood", "Activity")
    for activity in Activity.objects.only("pk", "recurrence").iterator():
        _first, last = recurrence.first_and_last(activity.recurrence)
        if last is not None:
            Activity.objects.filter(pk=activity.pk).update(last_day=last.date())


class Migration(migrations.Migration):
    dependencies = [
        ("neighbourhood", "0007_activity_public"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="last_day",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="letzter Termin am"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
