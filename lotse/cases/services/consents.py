"""Writes of consents (Einwilligungen): record one, withdraw one.

A consent is the person's permission, for a named purpose, to share with named recipient
organisations; the organisation of the member of staff who records it is the one that
obtained it, and only its own referrals can rest on it. Signed consents carry the uploaded
form, verbal ones the name of a witness. Withdrawing it ends, at once, the access of every
receiver of a referral based on it (``referrals_end_access``) and tells them by e-mail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation, Unit
from lotse.cases import mails
from lotse.cases.models import Consent, Document, SharedPart
from lotse.cases.services.documents import document_upload
from lotse.cases.services.referrals import referrals_end_access
from lotse.core import access
from lotse.core.audit import audit_record
from lotse.core.models import AuditEvent
from lotse.core.services import audited_create, audited_update
from lotse.people.countries import normalise_language


@transaction.atomic
def consent_create(
    *,
    actor: Any,
    person: Any,
    purpose: str,
    recipients: list[Organisation],
    form: str,
    information_language: str,
    given_on: dt.date,
    valid_until: dt.date | None = None,
    witness: str = "",
    document: Document | None = None,
    upload: File | None = None,
    unit: Unit | None = None,
    data_parts: Any = (),
) -> Consent:
    """Record a consent for the ``unit`` that obtained it (the actor's, if they record for
    one only). A signed one needs ``document`` (the uploaded form) or ``upload`` (the file,
    stored here in the same transaction: nothing half-saved)."""
    if not (access.can(actor, "create", Consent) and access.can(actor, "view", person)):
        raise PermissionDenied
    unit = _obtaining_unit(actor, unit)
    organisation_id = actor.organisation_id
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        raise ValidationError({"recipients": _("Bitte mindestens eine empfangende Organisation wählen.")})
    if any(o.pk == organisation_id for o in recipients):
        raise ValidationError(
            {
                "recipients": _(
                    "Die eigene Organisation ist keine Empfängerin: innerhalb der Behörde braucht es "
                    "keine Einwilligung."
                )
            }
        )
    parts = [part for part in SharedPart.values if part in {str(p) for p in data_parts}]
    if len(parts) != len(set(map(str, data_parts))):
        raise ValidationError(
            {"data_parts": _("Unbekannte Angaben zu den Daten, die weitergegeben werden dürfen.")}
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Eine Einwilligung kann nicht in der Zukunft erteilt sein.")})
    if valid_until is not None and valid_until < given_on:
        raise ValidationError({"valid_until": _("„Gültig bis“ liegt vor dem Tag der Einwilligung.")})
    if document is not None and (
        document.person_id != person.pk or document.organisation_id != organisation_id
    ):
        raise ValidationError({"document": _("Das Formular gehört nicht zu dieser Person.")})
    if form == Consent.Form.VERBAL_WITNESS and (document is not None or upload is not None):
        raise ValidationError(
            {"document": _("Eine mündliche Einwilligung hat kein unterschriebenes Formular.")}
        )
    if upload is not None and document is None:
        document = document_upload(
            actor=actor,
            upload=upload,
            title=_("Einwilligung: %(purpose)s") % {"purpose": purpose.strip()},
            person=person,
        )
    consent = audited_create(
        actor=actor,
        instance=Consent(
            person=person,
            organisation_id=organisation_id,
            unit=unit,
            purpose=purpose.strip(),
            form=form,
            witness=witness.strip() if form == Consent.Form.VERBAL_WITNESS else "",
            document=document,
            information_language=normalise_language(
                information_language, field="information_language", required=True
            ),
            given_on=given_on,
            valid_until=valid_until,
            data_parts=parts,
            recorded_by=actor,
        ),
    )
    consent.recipients.set(recipients)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=consent,
        changes={"recipients": [[], sorted(o.pk for o in recipients)]},
    )
    return consent


def _obtaining_unit(actor: Any, unit: Unit | None) -> Unit:
    units = list(access.visible(actor, Unit, "consents").order_by("name"))
    if unit is not None:
        if unit.pk not in {u.pk for u in units}:
            raise ValidationError({"unit": _("Für diese Einheit erfassen Sie keine Einwilligungen.")})
        return unit
    if len(units) != 1:
        raise ValidationError(
            {"unit": _("Bitte wählen Sie die Einheit, für die Sie die Einwilligung erfassen.")}
        )
    return units[0]


@transaction.atomic
def consent_withdraw(
    *,
    actor: Any,
    consent: Consent,
    withdrawn_on: dt.date,
    note: str = "",
    expected_version: int | None = None,
    on_request: bool = False,
) -> Consent:
    """Record the withdrawal; receivers of referrals based on it lose access at once.

    The unit that obtained the consent withdraws it. Someone else who sees it (a receiving
    unit, for which it is the basis of a referral) records a withdrawal only as the person's
    own request made to them (``on_request``), saying so in the note."""
    if not access.can(actor, "manage", consent):
        if not (on_request and access.can(actor, "withdraw_on_request", consent)):
            raise PermissionDenied
        if not note.strip():
            raise ValidationError(
                {"note": _("Bitte notieren Sie, wann und wie die Person den Widerruf bei Ihnen erklärt hat.")}
            )
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Diese Einwilligung ist bereits widerrufen."))
    if withdrawn_on > timezone.localdate():
        raise ValidationError(
            {"withdrawn_on": _("Ein Widerruf gilt ab sofort; bitte kein Datum in der Zukunft angeben.")}
        )
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Der Widerruf liegt vor der Einwilligung.")})
    consent, _changes = audited_update(
        actor=actor,
        instance=consent,
        data={"withdrawn_on": withdrawn_on, "withdrawal_note": note.strip()},
        expected_version=expected_version,
    )
    ended = referrals_end_access(actor=actor, consent=consent)
    for referral in ended:
        mails.queue_notice(
            template="consent_withdrawn",
            context={"referral": referral},
            recipients=mails.addresses_of(access.who_may("receive", referral), exclude_user_id=actor.pk),
        )
    return consent
