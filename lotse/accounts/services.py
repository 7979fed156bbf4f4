"""Writes to organisations, units, accounts and memberships; each one audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotse.accounts.models import (
    JointArrangement,
    JointArrangementConfirmation,
    Membership,
    Organisation,
    PasswordResetRequest,
    Unit,
    UnitOrganisation,
    User,
)
from lotse.accounts.roles import Role, opens_personal_data
from lotse.core import access
from lotse.core.audit import audit_record
from lotse.core.models import AuditEvent
from lotse.core.services import audited_create, audited_delete, audited_update


def _require(actor: Any, action: str, organisation: Organisation | type[Organisation]) -> None:
    # ``actor=None`` is the system itself (blueprint loader, migrations), which may set up.
    if actor is not None:
        access.require(actor, action, organisation)


@transaction.atomic
def organisation_upsert(
    *,
    actor: Any,
    slug: str,
    name: str,
    kind: str,
    legal_regime: str,
    short_name: str = "",
    municipality_key: str = "",
    state: str = "",
    operates_installation: bool = False,
) -> Organisation:
    data = {
        "name": name,
        "kind": kind,
        "legal_regime": legal_regime,
        "short_name": short_name,
        "municipality_key": municipality_key,
        "state": state,
        "operates_installation": operates_installation,
    }
    existing = Organisation.objects.filter(slug=slug).first()
    _require(actor, "configure", existing or Organisation)
    if existing is None:
        return audited_create(actor=actor, instance=Organisation(slug=slug, **data))
    return audited_update(actor=actor, instance=existing, data=data)[0]


@transaction.atomic
def unit_upsert(
    *,
    actor: Any,
    slug: str,
    name: str,
    kind: str,
    organisations: Sequence[Organisation],
    lead_organisations: Sequence[Organisation] | None = None,
    goals: Sequence[str] = (),
    tasks: Sequence[str] = (),
    responsibility_note: str = "",
    planned_start: dt.date | None = None,
    start_note: str = "",
    register_access: str = "",
) -> Unit:
    """Create or update a unit and the organisations responsible for it."""
    if not organisations:
        raise ValidationError({"organisations": _("Mindestens eine Organisation ist zuständig.")})
    for organisation in organisations:
        _require(actor, "configure", organisation)
    leads = set(lead_organisations if lead_organisations is not None else organisations)
    data = {
        "name": name,
        "kind": kind,
        "goals": list(goals),
        "tasks": list(tasks),
        "responsibility_note": responsibility_note,
        "planned_start": planned_start,
        "start_note": start_note,
        "register_access": register_access,
    }
    unit = Unit.objects.filter(slug=slug).first()
    if unit is None:
        unit = audited_create(actor=actor, instance=Unit(slug=slug, **data))
    else:
        unit = audited_update(actor=actor, instance=unit, data=data)[0]
    wanted = {organisation.pk: organisation in leads for organisation in organisations}
    for link in UnitOrganisation.objects.filter(unit=unit):
        if link.organisation_id not in wanted:
            audited_delete(actor=actor, instance=link)
        elif link.lead != wanted.pop(link.organisation_id):
            audited_update(actor=actor, instance=link, data={"lead": not link.lead})
    for organisation_id, lead in wanted.items():
        audited_create(
            actor=actor,
            instance=UnitOrganisation(unit=unit, organisation_id=organisation_id, lead=lead),
        )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    organisation: Organisation,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_demo: bool = False,
) -> User:
    """A new account; without a password it can only be activated by a password reset."""
    _require(actor, "administer", organisation)
    user = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_demo=is_demo,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return audited_create(actor=actor, instance=user)


@transaction.atomic
def technical_account_create(*, actor: Any, username: str, organisation: Organisation, purpose: str) -> User:
    """An account for an interface (a specialist procedure): it may hold API tokens without a
    second factor, because no person logs in with it. It has no password, never logs in
    (``LotseModelBackend``) and gets its roles like anyone else (with the second person's
    approval). Only an administrator of the organisation creates one; the creation is audited
    with the flag, so the data protection officer sees every such account in the log."""
    if actor is None:
        raise PermissionDenied
    _require(actor, "administer", organisation)
    purpose = purpose.strip()
    if not purpose:
        raise ValidationError({"purpose": _("Bitte angeben, für welches Fachverfahren das Konto ist.")})
    user = User(
        username=username,
        organisation=organisation,
        last_name=purpose[:150],
        is_technical=True,
    )
    user.set_unusable_password()
    return audited_create(actor=actor, instance=user)


@transaction.atomic
def membership_create(*, actor: Any, user: User, unit: Unit, role: str) -> Membership:
    """Give ``user`` a role in ``unit``. Staff work only in units their employer runs.

    Separation of duties: nobody grants a role to themselves, and a role that opens personal
    data (``roles.opens_personal_data``), granted by a person, takes effect only when a second
    person approves it (``membership_approve``). The system (``actor=None``: blueprints, the
    ``create_staff`` command run by the IT) grants in force at once.
    """
    _require(actor, "administer", user.organisation or Organisation)
    role = Role(role)
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(
            {
                "user": _(
                    "Niemand vergibt sich selbst eine Rolle. Bitten Sie eine zweite Person aus der "
                    "Administration darum."
                )
            }
        )
    if user.organisation_id is None or not unit.organisations.filter(pk=user.organisation_id).exists():
        raise ValidationError(
            {
                "unit": _(
                    "„%(unit)s“ gehört nicht zur Organisation von %(user)s. "
                    "Mitarbeitende können nur in Einheiten ihrer eigenen Organisation arbeiten."
                )
                % {"unit": unit, "user": user}
            }
        )
    existing = Membership.objects.filter(user=user, unit=unit, role=role).first()
    if existing is not None:
        return existing
    needs_approval = actor is not None and opens_personal_data(role)
    membership = Membership(
        user=user,
        unit=unit,
        role=role,
        granted_by=actor if actor is not None else None,
        approved_at=None if needs_approval else timezone.now(),
    )
    return audited_create(actor=actor, instance=membership)


@transaction.atomic
def membership_approve(*, actor: Any, membership: Membership) -> Membership:
    """The second person's approval: a role waiting for it takes effect now (audited)."""
    membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
    if membership.approved_at is not None:
        raise ValidationError(_("Diese Rolle ist schon wirksam."))
    access.require(actor, "approve", membership)
    return audited_update(
        actor=actor, instance=membership, data={"approved_by": actor, "approved_at": timezone.now()}
    )[0]


def membership_first_use(*, actor: Any, membership: Membership) -> None:
    """The first request a role in force is used for: recorded once, for the DPO."""
    audited_update(actor=actor, instance=membership, data={"first_used_at": timezone.now()})


@transaction.atomic
def membership_delete(*, actor: Any, membership: Membership) -> None:
    _require(actor, "administer", membership.user.organisation or Organisation)
    audited_delete(actor=actor, instance=membership)


@transaction.atomic
def joint_arrangement_record(
    *,
    actor: Any,
    unit: Unit,
    organisations: Sequence[Organisation],
    purposes: str,
    valid_from: dt.date,
    document: str,
    valid_until: dt.date | None = None,
) -> JointArrangement:
    """Record the joint-controller arrangement (Art. 26 DSGVO) of organisations staffing
    ``unit``. The recorder confirms it for their own organisation; it takes effect when each
    of the others has confirmed it too (``joint_arrangement_confirm``). The system (blueprint
    of the operator) records it confirmed by all."""
    chosen = {organisation.pk: organisation for organisation in organisations}
    if actor is not None:
        access.require(actor, "arrange", unit)
    problems: dict[str, str] = {}
    taking_part = set(unit.organisations.values_list("pk", flat=True))
    if len(chosen) < 2:
        problems["organisations"] = _("Eine gemeinsame Verantwortung haben mindestens zwei Organisationen.")
    elif not set(chosen) <= taking_part:
        problems["organisations"] = _("Nur Organisationen, die in der Einheit „%(unit)s“ mitarbeiten.") % {
            "unit": unit.name
        }
    elif actor is not None and actor.organisation_id not in chosen:
        problems["organisations"] = _("Ihre eigene Organisation muss beteiligt sein.")
    if not purposes.strip():
        problems["purposes"] = _("Bitte die Zwecke der gemeinsamen Verarbeitung nennen.")
    if not document.strip():
        problems["document"] = _("Bitte angeben, wo die unterzeichnete Vereinbarung abgelegt ist.")
    if valid_until is not None and valid_until < valid_from:
        problems["valid_until"] = _("Das Ende liegt vor dem Beginn.")
    if problems:
        raise ValidationError(problems)
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    arrangement = audited_create(
        actor=actor,
        instance=JointArrangement(
            unit=unit,
            purposes=purposes.strip(),
            valid_from=valid_from,
            valid_until=valid_until,
            document=document.strip(),
            recorded_by=recorder,
        ),
    )
    now = timezone.now()
    for organisation_id in sorted(chosen):
        confirmed = actor is None or organisation_id == actor.organisation_id
        audited_create(
            actor=actor,
            instance=JointArrangementConfirmation(
                arrangement=arrangement,
                organisation_id=organisation_id,
                confirmed_at=now if confirmed else None,
                confirmed_by=recorder if confirmed else None,
            ),
        )
    return arrangement


@transaction.atomic
def joint_arrangement_confirm(*, actor: Any, arrangement: JointArrangement) -> JointArrangement:
    """The actor's organisation confirms its part (audited); the last confirmation puts the
    arrangement in force."""
    confirmation = (
        JointArrangementConfirmation.objects.select_for_update()
        .filter(arrangement=arrangement, organisation_id=actor.organisation_id)
        .first()
    )
    if confirmation is None or not access.can(actor, "confirm", arrangement):
        raise PermissionDenied
    if confirmation.confirmed_at is not None:
        raise ValidationError(_("Ihre Organisation hat diese Vereinbarung schon bestätigt."))
    audited_update(
        actor=actor, instance=confirmation, data={"confirmed_at": timezone.now(), "confirmed_by": actor}
    )
    return arrangement


@transaction.atomic
def joint_arrangement_end(
    *, actor: Any, arrangement: JointArrangement, valid_until: dt.date
) -> JointArrangement:
    """The arrangement ends (terminated, or replaced by a new one): from the day after, members
    read their own organisation's case files only. Each participant may end it alone."""
    if actor is not None:
        access.require(actor, "confirm", arrangement)
    if valid_until < arrangement.valid_from:
        raise ValidationError({"valid_until": _("Das Ende liegt vor dem Beginn.")})
    if arrangement.valid_until is not None and arrangement.valid_until <= valid_until:
        raise ValidationError({"valid_until": _("Die Vereinbarung endet schon früher.")})
    return audited_update(actor=actor, instance=arrangement, data={"valid_until": valid_until})[0]


def account_invitation_send(*, user: User, domain: str, use_https: bool) -> None:
    """E-mail a new colleague the link to set their first password (after the commit)."""
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if use_https else "http",
        "domain": domain,
    }
    subject = render_to_string("accounts/email/welcome_subject.txt", context).strip()
    body = render_to_string("accounts/email/welcome.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@transaction.atomic
def second_factor_device_start(*, actor: User) -> TOTPDevice:
    """The authenticator the user is setting up: a new secret on first use, audited; the same
    one until it is confirmed (reloading the page keeps the QR code)."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    if device is None:
        device = TOTPDevice(user=actor, name="Authenticator-App", confirmed=False)
        device.full_clean()
        device.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.SECOND_FACTOR,
            obj=actor,
            changes={"second_factor": [None, "Einrichtung begonnen"]},
        )
    return device


@transaction.atomic
def second_factor_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a new authenticator with a first code; audited. False if the code is wrong."""
    if device.user_id != actor.pk or device.confirmed or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.SECOND_FACTOR,
        obj=actor,
        changes={"second_factor": [None, "eingerichtet"]},
    )
    return True


def second_factor_check(*, actor: User, device: TOTPDevice, token: str) -> tuple[bool, bool]:
    """Check a login code: (accepted, throttled). Success is audited."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return False, True
    if device.user_id != actor.pk or not device.verify_token(token):
        return False, False
    audit_record(actor=actor, action=AuditEvent.Action.SECOND_FACTOR, obj=actor)
    return True, False


def password_changed_record(*, actor: Any, user: User) -> None:
    """Django's password forms save the hash; the change itself belongs in the audit trail."""
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=user,
        changes={"password": ["***", "***"]},
        organisation_id=user.organisation_id,
        actor_name="" if actor is not None else user.get_username(),
    )


RESET_WINDOW = dt.timedelta(hours=1)


def _address_key(email: str) -> str:
    return salted_hmac("lotse.password-reset", email.strip().lower()).hexdigest()


@transaction.atomic
def password_reset_request(*, email: str, ip_address: str | None) -> str:
    """Note a request for a reset mail and say whether it may go out: ``""`` (send),
    ``"address"`` (enough mails to this address this hour: send nothing, answer as if sent, so
    that nobody learns whether an account exists) or ``"ip"`` (too many requests from this
    client for any addresses: say so; the answer does not depend on the address)."""
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - RESET_WINDOW).delete()
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - RESET_WINDOW)
    key = _address_key(email)
    if ip_address and recent.filter(ip_address=ip_address).count() >= settings.LOTSE_PASSWORD_RESET_PER_IP:
        return "ip"
    PasswordResetRequest.objects.create(requested_at=now, ip_address=ip_address, address_key=key)
    if recent.filter(address_key=key).count() > settings.LOTSE_PASSWORD_RESET_PER_ACCOUNT:
        return "address"
    return ""
