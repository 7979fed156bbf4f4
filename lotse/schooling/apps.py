from django.apps import AppConfig


class SchoolingConfig(AppConfig):
    name = "lotse.schooling"
    label = "schooling"
    verbose_name = "Lotse: Schulteam"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from lotse.cases.models import Referral
        from lotse.cases.signals import referral_created
        from lotse.core.retention import retention_follows, retention_kind
        from lotse.people.merging import follows_merge
        from lotse.schooling import access  # noqa: F401  (registers its access rules)
        from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport
        from lotse.schooling.services import on_referral_created

        # A referral from an arrival interview to the school team puts its children on the list.
        referral_created.connect(on_referral_created, sender=Referral, dispatch_uid="schooling-list")
        # When two register records become one, the list follows the kept record.
        follows_merge(ListedChild, "person")

        # Retention (decision 0027): a child's path ends with its removal from the list.
        retention_kind(
            ListedChild, label=_("Kind auf der Liste des Schulteams, ab Abschluss"), due_from="closed_on"
        )
        retention_follows(Enrolment, parent="schooling.listedchild", via="child")
        retention_follows(MissedSchoolingReport, parent="schooling.listedchild", via="child")
