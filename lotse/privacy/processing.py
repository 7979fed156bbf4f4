"""The record of processing activities (Art. 30 GDPR) of one organisation, as the configuration
says it today: the units' activities from the blueprint; recipients from the referral routes
that leave each unit; joint controllers from the arrangements; the data protection officers
from the roles. Nothing here is typed twice: change a route or a unit, and the record follows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from lotse.accounts.models import JointArrangement, Membership, Organisation, Unit
from lotse.accounts.roles import Role
from lotse.cases.models import ReferralRoute
from lotse.privacy.models import ProcessingActivity

# What Lotse itself does to protect the data (Art. 32): only what the software enforces; what
# the operator must do (TLS, encrypted disks, backups) is in the operator guide.
MEASURES = [
    _l("Anmeldung mit zweitem Faktor für alle, die Personendaten sehen; Sperre nach Fehlversuchen"),
    _l(
        "Zugriff nur nach Einheit, Rolle und Zweck; Rollen mit Personendaten erst nach Bestätigung "
        "durch eine zweite Person"
    ),
    _l(
        "Übermittlung an andere Organisationen nur mit Rechtsgrundlage oder Einwilligung, nur die "
        "gewählten Teile, jede protokolliert"
    ),
    _l("Protokoll jedes Lese- und Schreibzugriffs, fälschungserkennend (Hash-Kette, außerhalb verankert)"),
    _l("Dokumente außerhalb des Web-Verzeichnisses, Dateityp geprüft, Auslieferung nur nach Berechtigung"),
    _l(
        "Verschlüsselte Übertragung (TLS), Datensicherung und Verschlüsselung der Datenträger: durch den "
        "Betrieb (Betriebshandbuch)"
    ),
]


@dataclass
class Activity:
    unit: str
    controllers: list[str]
    joint: list[str]
    purposes: list[str]
    legal_bases: list[str]
    data_subjects: list[str]
    data_categories: list[str]
    special_categories: list[str]
    recipients: list[str]
    retention: str


@dataclass
class ProcessingRecord:
    organisation: str
    legal_regime: str
    officers: list[str]
    activities: list[Activity]
    undescribed: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    as_of: str = ""
    retention: list[RetentionLine] = field(default_factory=list)


@dataclass
class RetentionLine:
    """One kind of record and how long it is kept, from the retention rules (decision 0027)."""

    kind: str
    period: str
    minimum: str


def _retention_lines() -> list[RetentionLine]:
    from lotse.core.retention import kinds
    from lotse.privacy.models import RetentionRule

    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    lines = []
    for kind in kinds():
        rule = rules.get(kind.key)
        if rule is None:
            period = _("keine Regel: wird nicht automatisch gelöscht")
        elif rule.action == RetentionRule.Action.KEEP:
            period = _("wird aufbewahrt")
        else:
            period = _("%(months)s Monate, dann %(action)s") % {
                "months": rule.months,
                "action": rule.get_action_display(),
            }
        minimum = (
            _("mindestens %(months)s Monate (%(source)s)")
            % {"months": rule.minimum_months, "source": rule.minimum_source or _("Regel der Organisation")}
            if rule is not None and rule.minimum_months
            else "–"
        )
        lines.append(RetentionLine(str(kind.label), str(period), str(minimum)))
    return lines


def _recipients(unit: Unit, routes: list[ReferralRoute], organisation: Organisation) -> list[str]:
    found = []
    for route in routes:
        if route.from_unit_id not in (None, unit.pk) or route.to_unit_id == unit.pk:
            continue
        owners = [o for o in route.to_unit.organisations.all()]
        outside = [o.name for o in owners if o.pk != organisation.pk]
        where = _("an %(organisation)s") % {"organisation": ", ".join(outside)} if outside else _("intern")
        basis = f" – {route.suggested_legal_basis}" if route.suggested_legal_basis else ""
        found.append(f"{route.to_unit.name} ({where}){basis}")
    return sorted(set(found))


def _joint(unit: Unit, organisation: Organisation, day: dt.date) -> list[str]:
    return [
        _("gemeinsam verantwortlich mit %(others)s (Art. 26 DSGVO), Vereinbarung: %(document)s")
        % {
            "others": ", ".join(o.name for o in arrangement.organisations.all() if o.pk != organisation.pk),
            "document": arrangement.document,
        }
        for arrangement in unit.joint_arrangements.all()
        if arrangement.state_on(day) == "in_force"
    ]


def processing_record(organisation: Organisation) -> ProcessingRecord:
    today = timezone.localdate()
    units = list(
        Unit.objects.filter(organisations=organisation)
        .select_related("processing")
        .prefetch_related(
            "organisations",
            Prefetch(
                "joint_arrangements",
                JointArrangement.objects.prefetch_related("organisations", "confirmations"),
            ),
        )
        .order_by("name")
    )
    routes = list(
        ReferralRoute.objects.filter(Q(from_unit__in=units) | Q(from_unit__isnull=True))
        .select_related("to_unit")
        .prefetch_related("to_unit__organisations")
    )
    officers = sorted(
        {
            membership.user.get_full_name() or membership.user.get_username()
            for membership in Membership.objects.filter(
                role=Role.DATA_PROTECTION_OFFICER, unit__organisations=organisation, user__is_active=True
            ).select_related("user")
        }
    )
    activities, undescribed = [], []
    for unit in units:
        described: ProcessingActivity | None = getattr(unit, "processing", None)
        if described is None:
            if unit.kind != Unit.Kind.STAFF:  # data protection, IT: the staff's own records
                undescribed.append(unit.name)
            continue
        activities.append(
            Activity(
                unit=unit.name,
                controllers=[o.name for o in unit.organisations.all()],
                joint=_joint(unit, organisation, today),
                purposes=described.purposes,
                legal_bases=described.legal_bases,
                data_subjects=described.data_subjects,
                data_categories=described.data_categories,
                special_categories=described.special_categories,
                recipients=_recipients(unit, routes, organisation),
                retention=described.retention,
            )
        )
    return ProcessingRecord(
        organisation=organisation.name,
        legal_regime=organisation.legal_regime,
        officers=officers,
        activities=activities,
        undescribed=undescribed,
        measures=[str(measure) for measure in MEASURES],
        as_of=date_format(today, "d.m.Y"),
        retention=_retention_lines(),
    )
