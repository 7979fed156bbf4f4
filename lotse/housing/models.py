"""The housing register: buildings and their dwellings.

Below the person register on purpose: ``people.Person.dwelling`` and ``people.Household.dwelling``
point here (by label), and the register's services create a building and dwelling on the first
mention of an address. This module therefore imports no app above ``accounts`` (checked in
``tests/test_architecture.py``); what housing inspection adds about people (findings counted by
age, referrals for families) lives in its services, which may use the apps below them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Building(models.Model):
    """A residential building: the address a dwelling belongs to."""

    street = models.CharField(_("Straße"), max_length=200)
    house_number = models.CharField(_("Hausnummer"), max_length=20)
    postcode = models.CharField(_("Postleitzahl"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    district = models.CharField(_("Stadtteil"), max_length=100, blank=True)

    class Meta:
        ordering = ["street", "house_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "house_number", "postcode"], name="building_address_unique"
            )
        ]
        verbose_name = _("Gebäude")
        verbose_name_plural = _("Gebäude")

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}"


class Dwelling(models.Model):
    """One flat (or room) in a building."""

    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="dwellings")
    label = models.CharField(_("Lage"), max_length=60, help_text=_("z. B. „2. OG links“"))
    area_m2 = models.DecimalField(
        _("Wohnfläche in m²"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    rooms = models.PositiveSmallIntegerField(_("Zimmer"), null=True, blank=True)

    class Meta:
        ordering = ["building", "label"]
        constraints = [models.UniqueConstraint(fields=["building", "label"], name="dwelling_label_unique")]
        verbose_name = _("Wohnung")
        verbose_name_plural = _("Wohnungen")

    def __str__(self) -> str:
        return f"{self.building}, {self.label}"
