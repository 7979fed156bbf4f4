"""Consent (Einwilligung) and the record of every disclosure across organisations.

City and county are different controllers (BMG and public-order law vs. SGB X / SGB VIII).
Data cross from one organisation to another only on a recorded basis: a valid consent of
the person for the purpose and that recipient, or a named legal provision. Each crossing is
a ``Disclosure``: listable per person, never changed afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import Organisation, Unit
from lotse.core.crypto import EncryptedTextField
from lotse.core.models import Versioned


class Consent(Versioned):
    """A person's permission, for named purposes, to share with named recipients."""

    AUDIT_HOLDER = "organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom the record is about: the data protection officer's log names them

    class Form(models.TextChoices):
        SIGNED = "signed", _("schriftlich unterschrieben (Formular hochgeladen)")
        VERBAL_WITNESS = "verbal_witness", _("mündlich, mit Zeugin oder Zeuge")

    AUDIT_REDACTED: frozenset[str] = frozenset({"withdrawal_note"})

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="consents")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consents_obtained",
        verbose_name=_("eingeholt von"),
    )
    # The unit that obtained it: only its staff see and withdraw it; others of the same
    # organisation see it only as the basis of a referral they receive (need to know).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="consents_obtained",
        verbose_name=_("eingeholt von (Einheit)"),
    )
    purpose = models.CharField(
        _("Zweck"), max_length=300, help_text=_("z. B. „Vermittlung in die Migrationsberatung“")
    )
    recipients = models.ManyToManyField(
        Organisation, related_name="consents_received", verbose_name=_("Empfänger")
    )
    form = models.CharField(_("Form der Einwilligung"), max_length=20, choices=Form.choices)
    witness = models.CharField(_("Zeugin oder Zeuge"), max_length=200, blank=True)
    document = models.ForeignKey(
        "cases.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unterschriebenes Formular"),
    )
    information_language = models.CharField(
        _("Sprache des Informationsblatts"), max_length=3, help_text=_("ISO 639, z. B. ro")
    )
    # What the person agreed may be passed on beyond the minimum (``SharedPart`` values).
    data_parts = models.JSONField(_("weitergegebene Daten"), default=list, blank=True)
    given_on = models.DateField(_("erteilt am"))
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    withdrawn_on = models.DateField(_("widerrufen am"), null=True, blank=True)
    withdrawal_note = EncryptedTextField(_("Anmerkung zum Widerruf"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("given_on")),
                name="consent_valid_after_given",
            ),
        ]
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")

    @property
    def data_part_labels(self) -> list[str]:
        from lotse.cases.models.referral import SharedPart  # the parts are the referral's

        return [str(SharedPart(part).label) for part in SharedPart.values if part in self.data_parts]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.given_on:%d.%m.%Y})"

    def is_valid_on(self, day: dt.date) -> bool:
        if day < self.given_on:
            return False
        if self.valid_until is not None and day > self.valid_until:
            return False
        return self.withdrawn_on is None or day < self.withdrawn_on

    def clean(self) -> None:
        if self.form == self.Form.VERBAL_WITNESS and not self.witness.strip():
            raise ValidationError(
                {"witness": _("Bei einer mündlichen Einwilligung bitte die Zeugin oder den Zeugen nennen.")}
            )
        if self.form == self.Form.SIGNED and self.document_id is None:
            raise ValidationError({"document": _("Bitte das unterschriebene Formular hochladen.")})
        if self.withdrawn_on is not None and self.given_on and self.withdrawn_on < self.given_on:
            raise ValidationError({"withdrawn_on": _("Der Widerruf liegt vor der Einwilligung.")})


class Disclosure(models.Model):
    """One transfer of a person's data from one organisation to another, and on what basis.

    Written by the services that share (a referral across organisations), never edited.
    """

    AUDIT_HOLDER = "from_organisation_id"  # whose data protection officer sees every access
    AUDIT_SUBJECT = "person_id"  # whom the record is about: the data protection officer's log names them

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Einwilligung")
        LEGAL = "legal", _("Rechtsvorschrift")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="disclosures")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    basis = models.CharField(_("Grundlage"), max_length=10, choices=Basis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    legal_basis = models.CharField(_("Vorschrift"), max_length=300, blank=True)
    data_categories = models.CharField(
        _("übermittelte Daten"), max_length=300, help_text=_("z. B. „Name, Anschrift, Anlass der Verweisung“")
    )
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        indexes = [models.Index(fields=["person", "disclosed_at"], name="disclosure_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(basis="consent") & models.Q(consent__isnull=False))
                | (models.Q(basis="legal") & ~models.Q(legal_basis="")),
                name="disclosure_has_basis",
            ),
        ]
        verbose_name = _("Übermittlung")
        verbose_name_plural = _("Übermittlungen")

    def __str__(self) -> str:
        return f"{self.from_organisation_id} → {self.to_organisation_id} ({self.basis})"
