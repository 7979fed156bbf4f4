from django.apps import AppConfig


class SchoolingConfig(AppConfig):
    name = "lotse.schooling"
    label = "schooling"
    verbose_name = "Lotse: Schulteam"

    def ready(self) -> None:
        from lotse.cases.models import Referral
        from lotse.cases.signals import referral_created
        from lotse.people.merging import follows_merge
        from lotse.schooling import access  # noqa: F401  (registers its access rules)
        from lotse.schooling.models import ListedChild
        from lotse.schooling.services import on_referral_created

        # A referral from an arrival interview to the school team puts its children on the list.
        referral_created.connect(on_referral_created, sender=Referral, dispatch_uid="schooling-list")
        # When two register records become one, the list follows the kept record.
        follows_merge(ListedChild, "person")
