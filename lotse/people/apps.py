from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "lotse.people"
    label = "people"
    verbose_name = "Lotse: Personen und Haushalte"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from lotse.core.retention import retention_follows, retention_kind
        from lotse.core.services import write_guard
        from lotse.people import access  # noqa: F401  (registers its access rules)
        from lotse.people.merging import drop_rows, follows_merge
        from lotse.people.models import Person, PersonMatchKey, PersonNameToken, PersonNote, Restriction
        from lotse.people.protection import refuse_writes_while_restricted

        write_guard(refuse_writes_while_restricted)  # Art. 18 GDPR, for every app's writes

        follows_merge(Person, "merged_into")  # records merged into it before: into the kept one
        follows_merge(PersonNote, "person")  # its history goes along
        follows_merge(Restriction, "person")
        follows_merge(PersonMatchKey, "person", drop_rows(PersonMatchKey, "person"))
        follows_merge(PersonNameToken, "person", drop_rows(PersonNameToken, "person"))

        # Retention (decision 0027): a register entry ends once no other record names the person.
        retention_kind(
            Person,
            label=_("Eintrag im Personenregister, zu dem nichts anderes mehr gespeichert ist"),
            due_from="updated_at",
            after_others=True,
        )
        retention_follows(PersonNote, parent="people.person", via="person")
        retention_follows(Restriction, parent="people.person", via="person")
