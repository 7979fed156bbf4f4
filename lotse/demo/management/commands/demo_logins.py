from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q

from lotse.accounts.models import User
from lotse.demo.staff import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Zeigt die Demo-Zugänge mit Rolle und Einheit."

    def handle(self, *args: Any, **options: Any) -> None:
        users = (
            User.objects.filter(
                Q(username__startswith="demo-") | Q(username__startswith="kassel-"), is_demo=True
            )
            .prefetch_related("memberships__unit")
            .order_by("username")
        )
        if not settings.LOTSE_DEMO or not users:
            self.stdout.write("Keine Demo-Zugänge (LOTSE_DEMO=1 und load_blueprint --demo).")
            return
        self.stdout.write(f"Demo-Zugänge (Passwort jeweils „{DEMO_PASSWORD}“):")
        for user in users:
            roles = ", ".join(f"{m.get_role_display()} – {m.unit.name}" for m in user.memberships.all())
            self.stdout.write(f"  {user.username:<20} {user.get_full_name():<20} {roles}")
