"""Writes of referrals: create, answer, work, complete, withdraw, and the later check.

proposed → accepted or declined (with a reason) → in progress → done (with an outcome); the
sender may withdraw an open referral (with a reason). Only the receiving unit answers
(access action ``answer``), only the sending unit withdraws and records the check (``manage``).
Every transition is a compare-and-set on the version.

Lawful sharing (BRIEF, flow 3): city, county and charities are different controllers. The
*recipients* of a referral are the organisations of the receiving unit other than the
sending organisation (the employer of the person who sends; the register's organisation
when the system sends). A joint unit (the Schulteam of city and county) counts as sharing,
because the other authority's staff in it read the referral. Sharing needs a recorded basis:
a valid consent of the person that the sending organisation obtained and that names every
recipient, or a named legal provision. Each crossing is one ``Disclosure`` row per recipient
organisation plus one DISCLOSE event in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.accounts.models import Organisation, Unit
from lotse.cases import mails
from lotse.cases.models import (
    CASE_PARTS,
    Consent,
    Disclosure,
    FollowUp,
    Referral,
    ReferralRoute,
    SharedPart,
)
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.selectors.referrals import referral_route_for
from lotse.cases.signals import referral_created
from lotse.core import access
from lotse.core.audit import audit_record
from lotse.core.models import AuditEvent
from lotse.core.services import StaleVersion, audited_create, audited_update

DISCLOSE = AuditEvent.Action.DISCLOSE
S = Referral.Status
CHECK_TITLE = gettext_lazy("Nachkontrolle: hat das Ergebnis gehalten?")
CONSENT_WITHDRAWN = gettext_lazy("Die Einwilligung wurde widerrufen.")

# A named provision: a paragraph or article sign and a law's abbreviation (two capitals in
# one word: BMG, SGB, DSGVO, WoAufG, SchulG). „Einwilligung vom …“ is not a provision: a
# consent is chosen from the recorded consents, so that its validity can be checked.
_PROVISION_SIGN = re.compile(r"§|\bArt\.|\bArtikel\b", re.IGNORECASE)
_LAW_ABBREVIATION = re.compile(r"\b[^\W\d_]*[A-ZÄÖÜ][^\W\d_]*[A-ZÄÖÜ][^\W\d_]*\b")


def stored_text(text: Any) -> str:
    """A text Lotse writes into a record, in the installation's language (not the actor's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def sending_organisation_id(*, actor: Any, person: Any) -> int:
    """The controller that discloses: the sender's employer (the register's organisation
    when the system acts, e.g. for demo data)."""
    organisation_id = (
        getattr(actor, "organisation_id", None) if getattr(actor, "is_authenticated", False) else None
    )
    return int(organisation_id or person.organisation_id)


def recipient_organisations(*, organisation_id: int, to_unit: Unit) -> list[Organisation]:
    """Organisations of ``to_unit`` other than the sending organisation ``organisation_id``."""
    return [o for o in to_unit.organisations.all() if o.pk != organisation_id]


def crosses_organisation(*, organisation_id: int, to_unit: Unit) -> bool:
    """True if someone outside the sending organisation works in ``to_unit``."""
    return bool(recipient_organisations(organisation_id=organisation_id, to_unit=to_unit))


def legal_basis_problem(text: str) -> str | None:
    """Why ``text`` does not name a provision, or None if it does."""
    if _PROVISION_SIGN.search(text) and _LAW_ABBREVIATION.search(_PROVISION_SIGN.sub(" ", text)):
        return None
    return _(
        "„%(text)s“ nennt keine Vorschrift. Bitte geben Sie Paragraf oder Artikel und das Gesetz "
        "an, z. B. „§ 34 Abs. 1 BMG“ oder „Art. 6 Abs. 1 lit. e DSGVO“. Hat die Person "
        "eingewilligt, wählen Sie stattdessen die erfasste Einwilligung aus; der Text "
        "„Einwilligung vom …“ genügt nicht, weil Lotse dann nicht prüfen kann, ob sie gilt."
    ) % {"text": text}


def consent_problem(
    consent: Consent, *, person: Any, organisation_id: int, recipients: list[Organisation], on: dt.date
) -> str | None:
    """Why ``consent`` does not carry this disclosure, or None if it does."""
    if consent.person_id != person.pk:
        return _("Die gewählte Einwilligung gehört zu einer anderen Person.")
    if consent.organisation_id != organisation_id:
        return _(
            "Die gewählte Einwilligung hat eine andere Stelle eingeholt; sie trägt nur deren Übermittlungen."
        )
    if consent.withdrawn_on is not None:
        return _("Die gewählte Einwilligung wurde am %(date)s widerrufen.") % {
            "date": date_format(consent.withdrawn_on, "d.m.Y")
        }
    if on < consent.given_on:
        return _("Die gewählte Einwilligung gilt erst ab %(date)s.") % {
            "date": date_format(consent.given_on, "d.m.Y")
        }
    if consent.valid_until is not None and on > consent.valid_until:
        return _("Die gewählte Einwilligung galt nur bis %(date)s.") % {
            "date": date_format(consent.valid_until, "d.m.Y")
        }
    covered = {o.pk for o in consent.recipients.all()}
    missing = [o for o in recipients if o.pk not in covered]
    if missing:
        return _("Die gewählte Einwilligung erlaubt keine Übermittlung an %(names)s.") % {
            "names": ", ".join(o.name for o in missing)
        }
    return None


def data_categories(referral: Referral) -> str:
    """Exactly what went, in words, as the disclosure records it."""
    minimum = _("Name, Geburtsdatum und Sprachen der Person; Anlass der Verweisung")
    return "; ".join([str(minimum), *referral.shared_labels])


def _shared(
    *, parts: Any, domains: Any, case: Any, consent: Consent | None, person: Any = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The share fields of a new referral from the sender's choice, and what is wrong with it."""
    chosen = {str(part) for part in parts}
    if person is not None and person.register_block and SharedPart.CONTACT_DATA in chosen:
        # §§ 51, 52 BMG: the address of a blocked person stays with the register (decision 0028).
        return {}, {
            "shared": _(
                "Für diese Person ist im Melderegister eine Sperre eingetragen (%(block)s): Anschrift "
                "und Erreichbarkeit gehen mit keiner Verweisung mit. Bitte wählen Sie diese Angaben ab."
            )
            % {"block": person.get_register_block_display()}
        }
    domains = [code for code in AssessmentDomain.values if code in {str(d) for d in domains}]
    problems: dict[str, str] = {}
    unknown = chosen - set(SharedPart.values)
    if unknown:
        problems["shared"] = _("Unbekannte Angaben zum Mitgeben: %(parts)s") % {
            "parts": ", ".join(sorted(unknown))
        }
    if domains:
        chosen.add(SharedPart.ASSESSMENT)
    elif SharedPart.ASSESSMENT in chosen:
        problems["assessment_domains"] = _("Bitte die Bereiche der Einschätzung wählen, die mitgehen sollen.")
    if case is None and chosen & CASE_PARTS:
        problems["shared"] = _(
            "Kontakte, Einschätzung, Hilfeplan und Dokumente gehen nur mit einer Fallakte mit. "
            "Bitte die Fallakte wählen oder diese Angaben abwählen."
        )
    if consent is not None:
        beyond = [
            SharedPart(part).label for part in SharedPart.values if part in chosen - set(consent.data_parts)
        ]
        if beyond:
            problems["shared"] = _(
                "Die gewählte Einwilligung erlaubt nicht, %(parts)s weiterzugeben. Wählen Sie diese "
                "Angaben ab oder erfassen Sie eine Einwilligung, die sie umfasst."
            ) % {"parts": ", ".join(str(label) for label in beyond)}
    fields = {f"share_{part}": part in chosen for part in SharedPart.values}
    fields["assessment_domains"] = domains
    return fields, problems


def _check_version(referral: Referral, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != referral.version:
        raise StaleVersion(referral)


def _refuse(referral: Referral, action: str) -> ValidationError:
    return ValidationError(
        _("Eine Verweisung im Stand „%(status)s“ kann nicht %(action)s werden.")
        % {"status": referral.get_status_display(), "action": action}
    )


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    person: Any,
    from_unit: Unit,
    to_unit: Unit,
    reason: str,
    legal_basis: str = "",
    consent: Consent | None = None,
    due_date: dt.date | None = None,
    interview: Any = None,
    case: Any = None,
    route: ReferralRoute | None = None,
    shared: Any = (),
    assessment_domains: Any = (),
) -> Referral:
    """A new referral („vorgeschlagen“), with its disclosures if it leaves the organisation.

    ``actor=None`` is the system (demo data). ``due_date`` defaults to the way's
    ``due_in_days``; ``route`` defaults to the configured way between the two units.
    ``shared`` names the ``SharedPart`` values that go with it beyond the minimum (none by
    default), ``assessment_domains`` the assessment's areas; with a consent as the basis,
    both must lie within what the person agreed to.
    """
    if actor is not None and not (
        access.can(actor, "casework", from_unit) and access.can(actor, "view", person)
    ):
        raise PermissionDenied
    if to_unit.pk == from_unit.pk:
        raise ValidationError({"to_unit": _("Eine Einheit verweist nicht an sich selbst.")})
    if case is not None:
        if case.owner_unit_id != from_unit.pk:
            raise ValidationError(
                {"case": _("Nur die Fallakte der verweisenden Einheit kann mitgegeben werden.")}
            )
        if case.person_id != person.pk and not (
            case.household_id and case.household_id == person.household_id
        ):
            raise ValidationError(
                {"case": _("Die Fallakte gehört nicht zu dieser Person oder ihrem Haushalt.")}
            )
    if route is None:
        route = referral_route_for(from_unit.pk, to_unit.pk)
    elif route.to_unit_id != to_unit.pk or route.from_unit_id not in (None, from_unit.pk):
        raise ValidationError({"route": _("Der Verweisungsweg führt nicht zu dieser Einheit.")})
    today = timezone.localdate()
    if due_date is None and route is not None and route.due_in_days:
        due_date = today + dt.timedelta(days=route.due_in_days)

    organisation_id = sending_organisation_id(actor=actor, person=person)
    recipients = recipient_organisations(organisation_id=organisation_id, to_unit=to_unit)
    legal_basis = legal_basis.strip()
    if legal_basis and (problem := legal_basis_problem(legal_basis)):
        raise ValidationError({"legal_basis": problem})
    if consent is not None and (
        problem := consent_problem(
            consent, person=person, organisation_id=organisation_id, recipients=recipients, on=today
        )
    ):
        raise ValidationError({"consent": problem})
    share_fields, problems = _shared(
        parts=shared,
        domains=assessment_domains,
        case=case,
        consent=consent if recipients else None,
        person=person,
    )
    if problems:
        raise ValidationError(problems)
    if recipients and consent is None and not legal_basis:
        raise ValidationError(
            {
                "legal_basis": _(
                    "In „%(unit)s“ arbeiten auch %(names)s – eine andere Behörde oder ein Träger. "
                    "Ohne Rechtsgrundlage dürfen die Daten nicht übermittelt werden: Wählen Sie "
                    "eine gültige Einwilligung der Person oder nennen Sie die Vorschrift, die die "
                    "Übermittlung erlaubt."
                )
                % {"unit": to_unit.name, "names": ", ".join(o.name for o in recipients)}
            }
        )

    defaults = {"check_after_weeks": route.check_after_weeks} if route is not None else {}
    referral = audited_create(
        actor=actor,
        instance=Referral(
            **defaults,
            person=person,
            household=person.household if person.household_id else None,
            case=case,
            from_unit=from_unit,
            to_unit=to_unit,
            route=str(route.pk) if route is not None else "",
            reason=reason.strip(),
            legal_basis=legal_basis,
            consent=consent,
            due_date=due_date,
            interview=interview,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **share_fields,
        ),
    )
    if recipients:
        _disclose(actor=actor, referral=referral, organisation_id=organisation_id, recipients=recipients)
    # Apps above case work act on a new referral in the same transaction (and may refuse it).
    referral_created.send(sender=Referral, referral=referral, actor=actor)
    if actor is not None:  # demo data and other system writes send no mail
        mails.queue_notice(
            template="referral_new",
            context={"referral": referral, "url": mails.referral_url(referral)},
            recipients=mails.addresses_of(access.who_may("receive", referral), exclude_user_id=actor.pk),
        )
    return referral


def _disclose(
    *, actor: Any, referral: Referral, organisation_id: int, recipients: list[Organisation]
) -> None:
    categories = data_categories(referral)
    for recipient in recipients:
        audited_create(
            actor=actor,
            instance=Disclosure(
                person=referral.person,
                from_organisation_id=organisation_id,
                to_organisation=recipient,
                referral=referral,
                basis=Disclosure.Basis.CONSENT if referral.consent_id else Disclosure.Basis.LEGAL,
                consent=referral.consent,
                legal_basis=referral.legal_basis,
                data_categories=categories,
                disclosed_by=actor if getattr(actor, "is_authenticated", False) else None,
            ),
        )
    audit_record(
        actor=actor,
        action=DISCLOSE,
        obj=referral,
        organisation_id=organisation_id,
        changes=disclosure_changes(referral, recipients),
    )


def disclosure_changes(referral: Referral, recipients: list[Organisation]) -> dict[str, list[Any]]:
    """What the ``disclose`` event of a referral records (also written by generated data)."""
    return {
        "person": [None, referral.person_id],
        "to_unit": [None, referral.to_unit_id],
        "recipients": [None, sorted(o.pk for o in recipients)],
        "basis": [None, "consent" if referral.consent_id else "legal"],
        "consent": [None, referral.consent_id],
        "legal_basis": [None, referral.legal_basis],
        "shared": [None, referral.shared_parts],
        "assessment_domains": [None, referral.assessment_domains],
    }


# --- the receiving unit -------------------------------------------------------------------


def _require_receiver(actor: Any, referral: Referral) -> None:
    access.require(actor, "answer", referral)


@transaction.atomic
def referral_accept(*, actor: Any, referral: Referral, expected_version: int | None = None) -> Referral:
    _require_receiver(actor, referral)
    _check_version(referral, expected_version)
    if referral.status != S.PROPOSED:
        raise _refuse(referral, _("angenommen"))
    referral, _changes = audited_update(
        actor=actor,
        instance=referral,
        data={"status": S.ACCEPTED, "responded_by": actor, "responded_at": timezone.now()},
        expected_version=expected_version,
    )
    return referral


@transaction.atomic
def referral_decline(
    *, actor: Any, referral: Referral, reason: str, expected_version: int | None = None
) -> Referral:
    """Decline with a reason; the sender is told by e-mail (the reason is read in Lotse)."""
    _require_receiver(actor, referral)
    _check_version(referral, expected_version)
    if referral.status != S.PROPOSED:
        raise _refuse(referral, _("abgelehnt"))
    if not reason.strip():
        raise ValidationError({"decline_reason": _("Bitte den Grund der Ablehnung angeben.")})
    referral, _changes = audited_update(
        actor=actor,
        instance=referral,
        data={
            "status": S.DECLINED,
            "decline_reason": reason.strip(),
            "responded_by": actor,
            "responded_at": timezone.now(),
        },
        expected_version=expected_version,
    )
    creator = referral.created_by
    if creator is not None and creator.is_active and creator.email:
        mails.queue_notice(
            template="referral_declined",
            context={"referral": referral, "url": mails.referral_url(referral)},
            recipients=[creator.email],
        )
    return referral


@transaction.atomic
def referral_start(*, actor: Any, referral: Referral, expected_version: int | None = None) -> Referral:
    _require_receiver(actor, referral)
    _check_version(referral, expected_version)
    if referral.status != S.ACCEPTED:
        raise _refuse(referral, _("begonnen"))
    referral, _changes = audited_update(
        actor=actor,
        instance=referral,
        data={"status": S.IN_PROGRESS, "started_at": timezone.now()},
        expected_version=expected_version,
    )
    return referral


def check_weeks_for(referral: Referral) -> int:
    """Weeks until the check: the configured way now, else what was stored at creation."""
    route = referral_route_for(referral.from_unit_id, referral.to_unit_id)
    return route.check_after_weeks if route is not None else referral.check_after_weeks


@transaction.atomic
def referral_complete(
    *, actor: Any, referral: Referral, outcome: str, expected_version: int | None = None
) -> Referral:
    """Report the outcome; schedules the sending unit's check (Controlling der Nachhaltigkeit)."""
    from lotse.cases.services.followups import followup_create

    _require_receiver(actor, referral)
    _check_version(referral, expected_version)
    if referral.status != S.IN_PROGRESS:
        raise _refuse(referral, _("als erledigt gemeldet"))
    if not outcome.strip():
        raise ValidationError({"outcome": _("Bitte das Ergebnis angeben.")})
    now = timezone.now()
    weeks = check_weeks_for(referral)
    check_due = timezone.localdate(now) + dt.timedelta(weeks=weeks)
    referral, _changes = audited_update(
        actor=actor,
        instance=referral,
        data={
            "status": S.DONE,
            "outcome": outcome.strip(),
            "done_at": now,
            "check_after_weeks": weeks,
            "check_due": check_due,
        },
        expected_version=expected_version,
    )
    # The check belongs to the sender, who is not the one acting here: Lotse schedules it.
    followup_create(
        actor=None,
        unit=referral.from_unit,
        title=stored_text(CHECK_TITLE),
        due_on=check_due,
        case=referral.case
        if referral.case is not None and referral.case.owner_unit_id == referral.from_unit_id
        else None,
        target=referral,
    )
    return referral


# --- the sending unit ---------------------------------------------------------------------


def _require_sender(actor: Any, referral: Referral) -> None:
    access.require(actor, "manage", referral)


@transaction.atomic
def referral_withdraw(
    *, actor: Any, referral: Referral, reason: str, expected_version: int | None = None
) -> Referral:
    """The sender takes back an open referral; the receiver loses access (it is no longer open).

    The reason is kept in ``decline_reason`` (the one reason field of the model), shown as
    „Grund der Rücknahme“.
    """
    _require_sender(actor, referral)
    _check_version(referral, expected_version)
    if referral.status not in Referral.OPEN_STATES:
        raise _refuse(referral, _("zurückgezogen"))
    if not reason.strip():
        raise ValidationError({"decline_reason": _("Bitte den Grund der Rücknahme angeben.")})
    referral, _changes = audited_update(
        actor=actor,
        instance=referral,
        data={"status": S.WITHDRAWN, "decline_reason": reason.strip()},
        expected_version=expected_version,
    )
    return referral


@transaction.atomic
def referral_check_record(
    *, actor: Any, referral: Referral, result: str, note: str = "", expected_version: int | None = None
) -> Referral:
    """Record whether the result held; completes the check's follow-up."""
    from lotse.cases.services.followups import followup_complete

    _require_sender(actor, referral)
    _check_version(referral, expected_version)
    if referral.status != S.DONE:
        raise ValidationError(_("Nachkontrollen gibt es nur für erledigte Verweisungen."))
    if referral.check_result:
        raise ValidationError(_("Die Nachkontrolle ist schon erfasst."))
    valid = {choice for choice in Referral.CheckResult.values if choice}
    if result not in valid:
        raise ValidationError({"check_result": _("Bitte wählen Sie, ob das Ergebnis gehalten hat.")})
    referral, _changes = audited_update(
        actor=actor,
        instance=referral,
        data={"check_result": result, "check_note": note.strip(), "checked_at": timezone.now()},
        expected_version=expected_version,
    )
    followups = FollowUp.objects.filter(
        target_type=Referral._meta.label_lower, target_id=str(referral.pk), done_at__isnull=True
    )
    for followup in followups:
        followup_complete(actor=actor, followup=followup)
    return referral


# --- consequences of a withdrawn consent (called by ``consent_withdraw``) ------------------


def referrals_end_access(*, actor: Any, consent: Consent) -> list[Referral]:
    """End the receivers' access to every referral based on ``consent``.

    Open ones become „zurückgezogen“ as well: without access nobody can work on them, and the
    sender's outbox must not show them as running (docs/decisions/0008).
    """
    now = timezone.now()
    ended = []
    for referral in Referral.objects.filter(consent=consent, access_ended_at__isnull=True).select_related(
        "from_unit", "to_unit"
    ):
        data: dict[str, Any] = {"access_ended_at": now}
        if referral.status in Referral.OPEN_STATES:
            data |= {"status": S.WITHDRAWN, "decline_reason": stored_text(CONSENT_WITHDRAWN)}
        referral, _changes = audited_update(actor=actor, instance=referral, data=data)
        ended.append(referral)
    return ended
