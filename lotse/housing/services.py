"""Writes of housing inspection: the register of buildings and dwellings, owners and managers,
inspections with their findings and photos, orders, re-inspections, fine proceedings and
declarations of uninhabitability. Each service checks the actor through the access layer,
validates, writes audited in one transaction and leaves nothing half-saved.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.accounts.models import Unit
from lotse.cases import file_kinds
from lotse.cases.models import Referral
from lotse.cases.services import documents as document_storage
from lotse.cases.services.followups import followup_create
from lotse.cases.services.referrals import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_start,
)
from lotse.core import access, files
from lotse.core.audit import audit_view
from lotse.core.periods import on_days
from lotse.core.services import audited_create, audited_update
from lotse.core.statelaw import housing as statelaw
from lotse.housing.models import (
    Authority,
    Building,
    Closure,
    Dwelling,
    Finding,
    FineProceeding,
    Inspection,
    Letterhead,
    Order,
    Party,
    PartyContact,
    Photo,
    Room,
    area_problem,
)

PHOTO_KINDS = {file_kinds.JPEG.content_type, file_kinds.PNG.content_type}


def _state(organisation: Any) -> str:
    if not organisation.state:
        raise ValidationError(
            _("Für %(name)s ist kein Bundesland eingetragen; ohne Landesrecht keine Prüfliste.")
            % {"name": organisation.name}
        )
    return str(organisation.state)


def _unit_of(actor: Any) -> Unit:
    """The housing inspection unit the actor works in."""
    from lotse.accounts.models import Membership

    unit = (
        Unit.objects.filter(
            kind=Unit.Kind.HOUSING,
            pk__in=Membership.objects.filter(user=actor, approved_at__isnull=False).values("unit_id"),
        )
        .order_by("pk")
        .first()
    )
    if unit is None:
        raise PermissionDenied
    return unit


# --- owners and managers -----------------------------------------------------------------------


@transaction.atomic
def party_create(
    *, actor: Any, kind: str, name: str, address: str = "", phone: str = "", email: str = ""
) -> Party:
    access.require(actor, "create", Party)
    if not name.strip():
        raise ValidationError({"name": _("Bitte den Namen angeben.")})
    return audited_create(
        actor=actor,
        instance=Party(
            organisation_id=actor.organisation_id,
            kind=kind,
            name=name.strip(),
            address=address.strip(),
            phone=phone.strip(),
            email=email.strip(),
        ),
    )


@transaction.atomic
def party_update(
    *, actor: Any, party: Party, data: dict[str, Any], expected_version: int | None = None
) -> Party:
    access.require(actor, "edit", party)
    fields = {name: (value.strip() if isinstance(value, str) else value) for name, value in data.items()}
    if "name" in fields and not fields["name"]:
        raise ValidationError({"name": _("Bitte den Namen angeben.")})
    return audited_update(actor=actor, instance=party, data=fields, expected_version=expected_version)[0]


@transaction.atomic
def party_contact_add(
    *,
    actor: Any,
    party: Party,
    happened_on: dt.date,
    channel: str,
    summary: str,
    building: Building | None = None,
) -> PartyContact:
    access.require(actor, "edit", party)
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("Ein Kontakt kann nicht in der Zukunft liegen.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Bitte kurz festhalten, worum es ging.")})
    if building is not None and building.organisation_id != party.organisation_id:
        raise ValidationError({"building": _("Das Gebäude gehört nicht zu diesem Register.")})
    return audited_create(
        actor=actor,
        instance=PartyContact(
            party=party,
            building=building,
            happened_on=happened_on,
            channel=channel,
            summary=summary.strip(),
            created_by=actor,
        ),
    )


# --- buildings, dwellings, rooms -----------------------------------------------------------------


def _check_parties(actor: Any, data: dict[str, Any]) -> None:
    for name in ("owner", "manager"):
        party = data.get(name)
        if party is not None and party.organisation_id != actor.organisation_id:
            raise ValidationError({name: _("Diese Person oder Firma gehört nicht zu Ihrem Register.")})


@transaction.atomic
def building_create(
    *,
    actor: Any,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    district: str = "",
    owner: Party | None = None,
    manager: Party | None = None,
    year_built: int | None = None,
) -> Building:
    access.require(actor, "create", Building)
    data = {"owner": owner, "manager": manager}
    _check_parties(actor, data)
    lookup = {"street": street.strip(), "house_number": house_number.strip(), "postcode": postcode.strip()}
    if Building.objects.filter(**lookup).exists():
        raise ValidationError({"street": _("Dieses Gebäude ist schon im Register.")})
    return audited_create(
        actor=actor,
        instance=Building(
            **lookup,
            city=city.strip(),
            district=district.strip(),
            organisation_id=actor.organisation_id,
            year_built=year_built,
            **data,
        ),
    )


BUILDING_FIELDS = frozenset({"district", "owner", "manager", "year_built"})


@transaction.atomic
def building_update(
    *, actor: Any, building: Building, data: dict[str, Any], expected_version: int | None = None
) -> Building:
    access.require(actor, "edit", building)
    unknown = set(data) - BUILDING_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _check_parties(actor, data)
    return audited_update(actor=actor, instance=building, data=data, expected_version=expected_version)[0]


def _rooms_total(dwelling: Dwelling) -> Decimal:
    return dwelling.room_list.aggregate(total=Sum("area_m2"))["total"] or Decimal(0)


DWELLING_FIELDS = frozenset(
    {"label", "area_m2", "rooms", "floor", "position", "kitchen", "bath", "heating", "last_inspected_year"}
)


def _check_dwelling_area(dwelling: Dwelling, area: Decimal | None) -> None:
    problem = area_problem(area)
    if problem:
        raise ValidationError({"area_m2": problem})
    if area is not None and dwelling.pk is not None:
        rooms = _rooms_total(dwelling)
        if rooms > area:
            raise ValidationError(
                {
                    "area_m2": _(
                        "Die Räume sind zusammen %(rooms)s m² groß – die Wohnfläche kann nicht kleiner sein."
                    )
                    % {"rooms": _number(rooms)}
                }
            )


@transaction.atomic
def dwelling_create(*, actor: Any, building: Building, data: dict[str, Any]) -> Dwelling:
    access.require(actor, "edit", building)
    unknown = set(data) - DWELLING_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    values = {name: value for name, value in data.items() if value is not None}
    values["label"] = (values.get("label") or "").strip()
    if not values["label"]:
        raise ValidationError({"label": _("Bitte die Lage angeben, z. B. „2. OG links“.")})
    if Dwelling.objects.filter(building=building, label=values["label"]).exists():
        raise ValidationError({"label": _("In diesem Gebäude gibt es schon eine Wohnung mit dieser Lage.")})
    dwelling = Dwelling(building=building, **values)
    _check_dwelling_area(dwelling, dwelling.area_m2)
    return audited_create(actor=actor, instance=dwelling)


@transaction.atomic
def dwelling_update(
    *, actor: Any, dwelling: Dwelling, data: dict[str, Any], expected_version: int | None = None
) -> Dwelling:
    access.require(actor, "edit", dwelling)
    unknown = set(data) - DWELLING_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "area_m2" in data:
        _check_dwelling_area(dwelling, data["area_m2"])
    if "label" in data:
        data = {**data, "label": (data["label"] or "").strip()}
        if not data["label"]:
            raise ValidationError({"label": _("Bitte die Lage angeben, z. B. „2. OG links“.")})
    return audited_update(actor=actor, instance=dwelling, data=data, expected_version=expected_version)[0]


def _number(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f").replace(".", ",")


@transaction.atomic
def room_add(*, actor: Any, dwelling: Dwelling, name: str, area_m2: Decimal) -> Room:
    """A room with its area; refused if it (or all rooms together) exceeds the living area."""
    access.require(actor, "edit", dwelling)
    Dwelling.objects.select_for_update().filter(pk=dwelling.pk).first()  # one room at a time
    if not name.strip():
        raise ValidationError({"name": _("Bitte den Raum benennen, z. B. „Wohnzimmer“.")})
    room = Room(dwelling=dwelling, name=name.strip(), area_m2=area_m2)
    room.full_clean()
    if dwelling.area_m2 is not None:
        if area_m2 > dwelling.area_m2:
            raise ValidationError(
                {
                    "area_m2": _("Der Raum (%(room)s m²) ist größer als die ganze Wohnung (%(area)s m²).")
                    % {"room": _number(area_m2), "area": _number(dwelling.area_m2)}
                }
            )
        total = _rooms_total(dwelling) + area_m2
        if total > dwelling.area_m2:
            raise ValidationError(
                {
                    "area_m2": _(
                        "Mit diesem Raum wären die Räume zusammen %(total)s m² groß, die Wohnung hat "
                        "aber nur %(area)s m². Bitte Flächen prüfen."
                    )
                    % {"total": _number(total), "area": _number(dwelling.area_m2)}
                }
            )
    return audited_create(actor=actor, instance=room)


# --- inspections -------------------------------------------------------------------------------


def _check_authorities(values: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in Authority.values]
    if unknown:
        raise ValidationError(
            {"authorities": _("Unbekannte Behörde: %(names)s") % {"names": ", ".join(unknown)}}
        )
    return chosen


def _check_same_time(dwelling: Dwelling, planned_at: dt.datetime, exclude: int | None = None) -> None:
    """Two inspections of one dwelling at the same time (on the same day) are refused."""
    day = timezone.localtime(planned_at).date()
    others = Inspection.objects.filter(dwelling=dwelling).exclude(status=Inspection.Status.CANCELLED)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    other = others.filter(**on_days("planned_at", day, day)).first()
    if other is not None:
        raise ValidationError(
            {
                "planned_at": _(
                    "Für diese Wohnung ist am %(day)s schon eine Kontrolle eingetragen (%(time)s Uhr)."
                )
                % {
                    "day": date_format(day, "d.m.Y"),
                    "time": timezone.localtime(other.planned_at).strftime("%H:%M"),
                }
            }
        )


@transaction.atomic
def inspection_plan(
    *,
    actor: Any,
    dwelling: Dwelling,
    cause: str,
    planned_at: dt.datetime,
    announced: bool = True,
    authorities: Iterable[str] = (),
    inspectors: Iterable[Any] = (),
    cause_note: str = "",
    referral: Referral | None = None,
    follows: Inspection | None = None,
) -> Inspection:
    """Plan an inspection of ``dwelling``. A re-inspection (``follow_up``) names the inspection
    whose orders it checks, which must have issued at least one; a notice of the Clearingstelle
    may name the referral it came with."""
    access.require(actor, "edit", dwelling)
    unit = _unit_of(actor)
    Dwelling.objects.select_for_update().filter(pk=dwelling.pk).first()  # one plan at a time
    if cause not in Inspection.Cause.values:
        raise ValidationError({"cause": _("Bitte den Anlass wählen.")})
    if cause == Inspection.Cause.FOLLOW_UP:
        if follows is None or not Order.objects.filter(finding__inspection=follows).exists():
            raise ValidationError(
                {
                    "cause": _(
                        "Eine Nachkontrolle prüft Anordnungen. Zu dieser Wohnung gibt es keine "
                        "Kontrolle mit Anordnung, die nachzukontrollieren wäre."
                    )
                }
            )
        if follows.dwelling_id != dwelling.pk:
            raise ValidationError({"cause": _("Die Nachkontrolle gehört zur selben Wohnung.")})
    elif follows is not None:
        raise ValidationError({"cause": _("Nur eine Nachkontrolle bezieht sich auf eine frühere Kontrolle.")})
    if referral is not None and (not access.can(actor, "view", referral) or referral.to_unit_id != unit.pk):
        raise PermissionDenied
    if planned_at < timezone.now() - dt.timedelta(days=1):
        raise ValidationError({"planned_at": _("Ein neuer Termin kann nicht in der Vergangenheit liegen.")})
    _check_same_time(dwelling, planned_at)
    team = list(inspectors) or [actor]
    from lotse.accounts.models import Membership

    members = set(Membership.objects.filter(unit=unit, user__in=team).values_list("user_id", flat=True))
    strangers = [str(user) for user in team if user.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "inspectors": _("Nicht im Team der Wohnraumkontrolle: %(names)s")
                % {"names": ", ".join(strangers)}
            }
        )
    inspection = audited_create(
        actor=actor,
        instance=Inspection(
            organisation_id=dwelling.building.organisation_id or actor.organisation_id,
            unit=unit,
            dwelling=dwelling,
            cause=cause,
            cause_note=cause_note.strip(),
            referral=referral,
            follows=follows,
            planned_at=planned_at,
            announced=announced,
            authorities=_check_authorities(authorities),
            created_by=actor,
        ),
    )
    inspection.inspectors.set(team)
    if referral is not None:
        # Planning the inspection is the housing unit's answer to the Clearingstelle's notice.
        if referral.status == Referral.Status.PROPOSED:
            referral = referral_accept(actor=actor, referral=referral)
        if referral.status == Referral.Status.ACCEPTED:
            referral_start(actor=actor, referral=referral)
    return inspection


def _require_open(inspection: Inspection) -> None:
    if inspection.status != Inspection.Status.PLANNED:
        raise ValidationError(
            _("Die Kontrolle ist abgeschlossen oder abgesagt und wird nicht mehr geändert.")
        )


@transaction.atomic
def inspection_reschedule(
    *,
    actor: Any,
    inspection: Inspection,
    planned_at: dt.datetime,
    announced: bool,
    authorities: Iterable[str],
    expected_version: int | None = None,
) -> Inspection:
    access.require(actor, "edit", inspection)
    _require_open(inspection)
    _check_same_time(inspection.dwelling, planned_at, exclude=inspection.pk)
    return audited_update(
        actor=actor,
        instance=inspection,
        data={
            "planned_at": planned_at,
            "announced": announced,
            "authorities": _check_authorities(authorities),
        },
        expected_version=expected_version,
    )[0]


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    inspection: Inspection,
    checklist: dict[str, str],
    adults_found: int | None,
    children_ages_found: list[int],
    summary: str = "",
    expected_version: int | None = None,
) -> Inspection:
    """What the inspection found on the checklist and whom it met (counts, children by age)."""
    access.require(actor, "edit", inspection)
    _require_open(inspection)
    keys = {item["key"] for item in statelaw.checklist(_state(inspection.organisation))}
    unknown = set(checklist) - keys
    if unknown or any(value not in Inspection.Check.values for value in checklist.values()):
        raise ValidationError({"checklist": _("Die Prüfliste enthält unbekannte Punkte oder Werte.")})
    if any(age < 0 or age > 17 for age in children_ages_found):
        raise ValidationError({"children_ages_found": _("Kinder sind zwischen 0 und 17 Jahre alt.")})
    if adults_found is not None and not 0 <= adults_found <= 99:
        raise ValidationError({"adults_found": _("Bitte eine Zahl zwischen 0 und 99 angeben.")})
    return audited_update(
        actor=actor,
        instance=inspection,
        data={
            "checklist": {key: checklist[key] for key in sorted(checklist)},
            "adults_found": adults_found,
            "children_ages_found": sorted(children_ages_found),
            "summary": summary.strip(),
        },
        expected_version=expected_version,
    )[0]


@transaction.atomic
def finding_add(
    *, actor: Any, inspection: Inspection, category: str, description: str, severity: str
) -> Finding:
    """A deficiency under one item of the checklist; its legal basis is that item's paragraph."""
    access.require(actor, "edit", inspection)
    _require_open(inspection)
    items = {item["key"]: item for item in statelaw.checklist(_state(inspection.organisation))}
    if category not in items:
        raise ValidationError({"category": _("Bitte einen Bereich der Prüfliste wählen.")})
    if not description.strip():
        raise ValidationError({"description": _("Bitte den Befund beschreiben.")})
    finding = audited_create(
        actor=actor,
        instance=Finding(
            inspection=inspection,
            category=category,
            description=description.strip(),
            severity=severity,
            legal_basis=items[category]["citation"],
        ),
    )
    if inspection.checklist.get(category) != Inspection.Check.DEFICIENT:
        audited_update(
            actor=actor,
            instance=inspection,
            data={"checklist": {**inspection.checklist, category: Inspection.Check.DEFICIENT}},
        )
    return finding


def registration_office_unit(organisation_id: int) -> Unit | None:
    """The unit that keeps the organisation's register (the Clearingstelle in the registration
    office), which receives the tasks to compare the register with what was found."""
    from lotse.accounts.models import RegisterAccess

    return (
        Unit.objects.filter(organisations__pk=organisation_id, register_access=RegisterAccess.WRITE)
        .order_by("pk")
        .first()
    )


def registered_count(dwelling: Dwelling) -> int:
    return dwelling.registered_persons.filter(
        organisation_id=dwelling.building.organisation_id or 0, kept_by__isnull=True, merged_into__isnull=True
    ).count()


@transaction.atomic
def inspection_complete(
    *, actor: Any, inspection: Inspection, expected_version: int | None = None
) -> Inspection:
    """Close the inspection: the dwelling's year of last inspection is set; where the people met
    differ from the register, the registration office gets a task naming only the dwelling and
    the two counts (BMG: what that task needs, nothing more)."""
    access.require(actor, "edit", inspection)
    _require_open(inspection)
    if inspection.adults_found is None:
        raise ValidationError(
            {"adults_found": _("Bitte zuerst eintragen, wie viele Personen angetroffen wurden.")}
        )
    now = timezone.now()
    inspection, _changes = audited_update(
        actor=actor,
        instance=inspection,
        data={"status": Inspection.Status.DONE, "completed_at": now},
        expected_version=expected_version,
    )
    dwelling = inspection.dwelling
    audited_update(actor=actor, instance=dwelling, data={"last_inspected_year": timezone.localdate(now).year})
    found = inspection.persons_found or 0
    registered = registered_count(dwelling)
    office = registration_office_unit(inspection.organisation_id)
    if found != registered and office is not None:
        followup_create(
            actor=None,  # Lotse itself: the inspection service decided
            unit=office,
            title=_("Melderegister abgleichen: %(dwelling)s – gemeldet %(registered)s, angetroffen %(found)s")
            % {"dwelling": str(dwelling), "registered": registered, "found": found},
            due_on=timezone.localdate(now) + dt.timedelta(days=14),
            target=dwelling,
            note=_("Hinweis der Wohnraumkontrolle nach der Kontrolle vom %(day)s.")
            % {"day": date_format(timezone.localtime(inspection.planned_at).date(), "d.m.Y")},
        )
    if inspection.referral is not None and inspection.referral.status == Referral.Status.IN_PROGRESS:
        referral_complete(actor=actor, referral=inspection.referral, outcome=_referral_outcome(inspection))
    return inspection


def _referral_outcome(inspection: Inspection) -> str:
    """What the Clearingstelle learns about its notice: date, number of findings, the verdict on
    overcrowding with its paragraph – no names."""
    text = _("Kontrolle am %(day)s abgeschlossen; %(count)s Befund(e).") % {
        "day": date_format(timezone.localtime(inspection.planned_at).date(), "d.m.Y"),
        "count": inspection.findings.count(),
    }
    state = inspection.organisation.state
    dwelling = inspection.dwelling
    if state and dwelling.area_m2 is not None:
        result = statelaw.assess(
            state,
            dwelling.area_m2,
            persons=inspection.persons_found or 0,
            children_ages=inspection.children_ages_found,
        )
        if result is not None:
            verdict = _("überbelegt") if result.overcrowded else _("nicht überbelegt")
            text += " " + _("Belegung: %(verdict)s (%(rule)s).") % {"verdict": verdict, "rule": result.rule}
    return text


@transaction.atomic
def inspection_cancel(
    *, actor: Any, inspection: Inspection, expected_version: int | None = None
) -> Inspection:
    access.require(actor, "edit", inspection)
    _require_open(inspection)
    return audited_update(
        actor=actor,
        instance=inspection,
        data={"status": Inspection.Status.CANCELLED},
        expected_version=expected_version,
    )[0]


# --- photos --------------------------------------------------------------------------------------


@transaction.atomic
def photo_upload(
    *, actor: Any, inspection: Inspection, upload: File, caption: str = "", finding: Finding | None = None
) -> Photo:
    """A photo (JPEG or PNG, recognised by its content) kept encrypted in the one file store
    like a case document."""
    access.require(actor, "edit", inspection)
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": _("Der Befund gehört zu einer anderen Kontrolle.")})
    data = document_storage.read_upload(upload)
    kind = file_kinds.sniff(data[: document_storage.SNIFF_BYTES], data)
    if kind is None or kind.content_type not in PHOTO_KINDS or file_kinds.polyglot(data, kind) is not None:
        raise ValidationError({"file": _("Bitte ein Foto als JPEG oder PNG hochladen.")})
    stored = files.store().write(data)
    return audited_create(
        actor=actor,
        instance=Photo(
            inspection=inspection,
            finding=finding,
            caption=caption.strip()[:200],
            original_name=(os.path.basename(upload.name or "") or "foto")[:255],
            storage_name=stored.name,
            content_type=kind.content_type,
            size=stored.size,
            sha256=stored.sha256,
            uploaded_by=actor,
        ),
    )


def photo_open(*, actor: Any, photo: Photo) -> IO[bytes]:
    """The stored photo after checking access and integrity; the read is audited."""
    access.require(actor, "view", photo)
    data = files.store().read(photo.storage_name, sha256=photo.sha256)
    audit_view(actor=actor, obj=photo)
    return io.BytesIO(data)


# --- orders, re-inspections, fines, closures ----------------------------------------------------


@transaction.atomic
def order_issue(
    *,
    actor: Any,
    finding: Finding,
    text: str,
    deadline: dt.date,
    addressee: Party | None = None,
    reinspect_at: dt.datetime | None = None,
) -> Order:
    """An order to remedy ``finding`` by ``deadline``; a re-inspection is planned for the day
    after the deadline (at ``reinspect_at`` if given) unless one is already planned then."""
    inspection = finding.inspection
    access.require(actor, "edit", inspection)
    today = timezone.localdate()
    if deadline < today:
        raise ValidationError(
            {"deadline": _("Die Frist liegt in der Vergangenheit. Bitte ein künftiges Datum wählen.")}
        )
    if not text.strip():
        raise ValidationError({"text": _("Bitte angeben, was anzuordnen ist.")})
    if addressee is not None and addressee.organisation_id != inspection.organisation_id:
        raise ValidationError({"addressee": _("Diese Person oder Firma gehört nicht zu Ihrem Register.")})
    addressee = addressee or inspection.dwelling.building.owner
    order = audited_create(
        actor=actor,
        instance=Order(
            finding=finding,
            addressee=addressee,
            text=text.strip(),
            legal_basis=statelaw.citation_of(_state(inspection.organisation), "orders")
            or finding.legal_basis,
            issued_on=today,
            deadline=deadline,
            created_by=actor,
        ),
    )
    when = reinspect_at or timezone.make_aware(
        dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(10, 0))
    )
    already = Inspection.objects.filter(
        dwelling=inspection.dwelling, status=Inspection.Status.PLANNED, cause=Inspection.Cause.FOLLOW_UP
    ).exists()
    if not already:
        inspection_plan(
            actor=actor,
            dwelling=inspection.dwelling,
            cause=Inspection.Cause.FOLLOW_UP,
            planned_at=when,
            announced=True,
            follows=inspection,
            inspectors=list(inspection.inspectors.all()),
            cause_note=_("Nachkontrolle der Anordnungen mit Frist bis %(day)s")
            % {"day": date_format(deadline, "d.m.Y")},
        )
    return order


@transaction.atomic
def order_outcome(
    *, actor: Any, order: Order, outcome: str, on: dt.date | None = None, expected_version: int | None = None
) -> Order:
    access.require(actor, "edit", order)
    if outcome not in {Order.Outcome.COMPLIED, Order.Outcome.PARTLY, Order.Outcome.NOT}:
        raise ValidationError({"outcome": _("Bitte das Ergebnis wählen.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"outcome_on": _("Das Ergebnis kann nicht in der Zukunft festgestellt sein.")})
    return audited_update(
        actor=actor,
        instance=order,
        data={"outcome": outcome, "outcome_on": on},
        expected_version=expected_version,
    )[0]


@transaction.atomic
def fine_open(
    *,
    actor: Any,
    order: Order,
    opened_on: dt.date | None = None,
    amount_eur: Decimal | None = None,
    note: str = "",
) -> FineProceeding:
    access.require(actor, "edit", order)
    if order.outcome not in {Order.Outcome.NOT, Order.Outcome.PARTLY}:
        raise ValidationError(
            _("Ein Bußgeldverfahren setzt voraus, dass die Anordnung nicht oder nur teilweise erfüllt wurde.")
        )
    return audited_create(
        actor=actor,
        instance=FineProceeding(
            order=order, opened_on=opened_on or timezone.localdate(), amount_eur=amount_eur, note=note.strip()
        ),
    )


@transaction.atomic
def fine_stage(
    *,
    actor: Any,
    fine: FineProceeding,
    stage: str,
    amount_eur: Decimal | None = None,
    expected_version: int | None = None,
) -> FineProceeding:
    access.require(actor, "edit", fine)
    if stage not in FineProceeding.Stage.values:
        raise ValidationError({"stage": _("Bitte den Stand wählen.")})
    data: dict[str, Any] = {"stage": stage}
    if amount_eur is not None:
        data["amount_eur"] = amount_eur
    return audited_update(actor=actor, instance=fine, data=data, expected_version=expected_version)[0]


@transaction.atomic
def closure_declare(
    *,
    actor: Any,
    inspection: Inspection,
    vacate_by: dt.date,
    reason: str,
    referral_legal_basis: str,
) -> Closure:
    """Declare the dwelling uninhabitable; each family registered there is referred to outreach
    (through the referral service, with the given legal basis) so that nobody is left alone
    with the notice."""
    access.require(actor, "edit", inspection)
    today = timezone.localdate()
    if vacate_by < today:
        raise ValidationError({"vacate_by": _("Das Räumungsdatum liegt in der Vergangenheit.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte begründen, warum die Wohnung unbewohnbar ist.")})
    dwelling = inspection.dwelling
    if Closure.objects.filter(dwelling=dwelling, lifted_on__isnull=True).exists():
        raise ValidationError(_("Diese Wohnung ist bereits für unbewohnbar erklärt."))
    state = _state(inspection.organisation)
    closure = audited_create(
        actor=actor,
        instance=Closure(
            inspection=inspection,
            dwelling=dwelling,
            declared_on=today,
            vacate_by=vacate_by,
            reason=reason.strip(),
            legal_basis=statelaw.citation_of(state, "uninhabitable"),
        ),
    )
    outreach = Unit.objects.filter(kind=Unit.Kind.OUTREACH).order_by("pk").first()
    if outreach is None:
        return closure
    unit = _unit_of(actor)
    for person in families_in(dwelling):
        referral_create(
            actor=actor,
            person=person,
            from_unit=unit,
            to_unit=outreach,
            reason=_(
                "Die Wohnung %(dwelling)s wurde für unbewohnbar erklärt (%(law)s); sie ist bis "
                "%(day)s zu räumen. Die Familie braucht Begleitung bei der Suche nach Wohnraum."
            )
            % {"dwelling": str(dwelling), "law": closure.legal_basis, "day": date_format(vacate_by, "d.m.Y")},
            legal_basis=referral_legal_basis,
        )
    return closure


def families_in(dwelling: Dwelling) -> list[Any]:
    """One person per family registered in the dwelling: the head (or first member) of each
    household, and each person there without a household."""
    persons = list(
        dwelling.registered_persons.filter(merged_into__isnull=True, kept_by__isnull=True).order_by(
            "household_id", "pk"
        )
    )
    chosen: dict[Any, Any] = {}
    for person in persons:
        key = person.household_id or f"p{person.pk}"
        current = chosen.get(key)
        if current is None or (person.relationship == "head" and current.relationship != "head"):
            chosen[key] = person
    return list(chosen.values())


@transaction.atomic
def closure_lift(*, actor: Any, closure: Closure, expected_version: int | None = None) -> Closure:
    access.require(actor, "edit", closure)
    if closure.lifted_on is not None:
        raise ValidationError(_("Die Erklärung ist bereits aufgehoben."))
    return audited_update(
        actor=actor,
        instance=closure,
        data={"lifted_on": timezone.localdate()},
        expected_version=expected_version,
    )[0]


LETTERHEAD_FIELDS = ("authority", "department", "address", "contact", "place")


@transaction.atomic
def letterhead_set(*, actor: Any, organisation: Any, values: dict[str, Any]) -> Letterhead:
    """Create or update the organisation's letterhead (the blueprint loader; ``actor=None``)."""
    unknown = set(values) - set(LETTERHEAD_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unbekannte Angaben im Briefkopf: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    data = {name: str(values.get(name) or "").strip() for name in LETTERHEAD_FIELDS}
    current = Letterhead.objects.filter(organisation=organisation).first()
    if current is None:
        return audited_create(actor=actor, instance=Letterhead(organisation=organisation, **data))
    return audited_update(actor=actor, instance=current, data=data)[0]
