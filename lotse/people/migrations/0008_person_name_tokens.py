"""Search tokens of the persons' names (docs/decisions/0014), filled for the persons there are.

The backfill computes the tokens with the same function as the services
(``lotse.people.search.person_name_tokens``), in batches of persons ordered by id; after a
later change of the folding rules ``manage.py rebuild_match_keys`` recomputes them.
"""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 2000


def fill_tokens(apps, schema_editor):
    from lotse.people.search import person_name_tokens

    Person = apps.get_model("people", "Person")
    PersonNameToken = apps.get_model("people", "PersonNameToken")
    last_id = 0
    while True:
        batch = list(Person.objects.filter(pk__gt=last_id, merged_into__isnull=True).order_by("pk")[:BATCH])
        if not batch:
            return
        PersonNameToken.objects.bulk_create(
            [
                PersonNameToken(person_id=person.pk, token=token)
                for person in batch
                for token in sorted(person_name_tokens(person))
            ],
            ignore_conflicts=True,  # a run interrupted and started again
        )
        last_id = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0007_own_records'),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonNameToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=64)),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='name_tokens', to='people.person')),
            ],
            options={
                'indexes': [models.Index(fields=['token', 'person'], name='person_name_token_idx', opclasses=['varchar_pattern_ops', 'int8_ops'])],
                'constraints': [models.UniqueConstraint(fields=('person', 'token'), name='person_name_token_unique')],
            },
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
    ]
