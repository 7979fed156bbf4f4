"""A small housing register with two of everything, through the services (for view tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from lotse.housing import services
from lotse.housing.models import Inspection

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def rich(housing: Any) -> dict[str, Any]:
    actor = housing.inspector
    owner = housing.owner("Saale Wohnen GmbH")
    manager = housing.owner("Ștefan Popescu Hausverwaltung")
    first = housing.building("Naumburger Straße", "12", owner=owner, manager=manager)
    second = housing.building("Leipziger Straße", "7", owner=owner)
    flats = [housing.dwelling(first, "EG links", "48"), housing.dwelling(first, "1. OG rechts", "30")]
    housing.dwelling(second, "EG", "60")
    for flat in flats:
        services.room_add(actor=actor, dwelling=flat, name="Wohnzimmer", area_m2=Decimal("20"))
        services.room_add(actor=actor, dwelling=flat, name="Küche", area_m2=Decimal("8"))
        housing.resident(flat, "Ana", "Popescu")
        housing.resident(flat, "Ion", "Popescu")
    services.party_contact_add(
        actor=actor,
        party=owner,
        happened_on=timezone.localdate(),
        channel="phone",
        summary="Termin abgestimmt",
        building=first,
    )
    services.party_contact_add(
        actor=actor,
        party=owner,
        happened_on=timezone.localdate(),
        channel="letter",
        summary="Anhörung",
        building=second,
    )
    inspection = housing.inspection(flats[1], authorities=["police", "youth_office"])
    housing.inspection(flats[0], days=3)
    services.inspection_record(
        actor=actor,
        inspection=inspection,
        checklist={"heating": "deficient", "electricity": "ok"},
        adults_found=4,
        children_ages_found=[2, 9],
    )
    findings = [
        services.finding_add(
            actor=actor,
            inspection=inspection,
            category="heating",
            description="Heizung kalt",
            severity="major",
        ),
        services.finding_add(
            actor=actor,
            inspection=inspection,
            category="mould",
            description="Schimmel im Bad",
            severity="minor",
        ),
    ]
    orders = [
        services.order_issue(
            actor=actor,
            finding=finding,
            text=f"Mangel beseitigen {n}",
            deadline=timezone.localdate() + dt.timedelta(days=5 + n),
        )
        for n, finding in enumerate(findings)
    ]
    with TestCase.captureOnCommitCallbacks(execute=True):
        photos = [
            services.photo_upload(
                actor=actor,
                inspection=inspection,
                upload=SimpleUploadedFile(f"{n}.png", PNG),
                caption=f"Bild {n}",
            )
            for n in range(2)
        ]
    inspection.refresh_from_db()
    services.inspection_complete(actor=actor, inspection=inspection)
    return {
        "owner": owner,
        "building": first,
        "dwelling": flats[1],
        "inspection": Inspection.objects.get(pk=inspection.pk),
        "findings": findings,
        "orders": orders,
        "photos": photos,
    }
