import django.db.models.deletion
from django.db import migrations, models


def obtaining_unit(apps, schema_editor):
    """The unit of the person who recorded it, in the consent's organisation; else the unit that
    keeps that organisation's register; else any of its units."""
    Consent = apps.get_model("cases", "Consent")
    Membership = apps.get_model("accounts", "Membership")
    Unit = apps.get_model("accounts", "Unit")
    for consent in Consent.objects.filter(unit__isnull=True):
        memberships = Membership.objects.filter(
            user_id=consent.recorded_by_id, unit__organisations=consent.organisation_id
        ).order_by("-unit__register_access", "unit_id")
        membership = memberships.first() if consent.recorded_by_id else None
        unit = (
            membership.unit
            if membership
            else Unit.objects.filter(organisations=consent.organisation_id)
            .order_by("-register_access", "pk")
            .first()
        )
        consent.unit = unit
        consent.save(update_fields=["unit"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_membership_approval"),
        ("cases", "0002_case_work"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents_obtained",
                to="accounts.unit",
                verbose_name="eingeholt von (Einheit)",
            ),
        ),
        migrations.RunPython(obtaining_unit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consent",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents_obtained",
                to="accounts.unit",
                verbose_name="eingeholt von (Einheit)",
            ),
        ),
    ]
