"""Letters of housing inspection as PDF (``lotse.core.pdf``: every script shaped, Romanian
diacritics, Bulgarian Cyrillic, Arabic right to left, in DejaVu Sans): the inspection report
and the order letter, with the authority's letterhead from the blueprint, the checklist, the
findings with their legal basis and the deadlines, ready to print and sign."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from lotse.core.pdf import render_pdf
from lotse.core.statelaw import housing as statelaw
from lotse.housing.models import Inspection, Letterhead, Order


def _letterhead(organisation: Any) -> Letterhead | None:
    return Letterhead.objects.filter(organisation=organisation).first()


def _checklist_rows(inspection: Inspection) -> list[dict[str, str]]:
    state = inspection.organisation.state
    rows = []
    for item in statelaw.checklist(state) if state else []:
        value = inspection.checklist.get(item["key"], "")
        rows.append(
            {
                "label": item["label"],
                "citation": item["citation"],
                "value": str(Inspection.Check(value).label) if value in Inspection.Check.values else "–",
            }
        )
    return rows


def inspection_report(inspection: Inspection) -> bytes:
    state = inspection.organisation.state
    labels = {item["key"]: item["label"] for item in statelaw.checklist(state)} if state else {}
    findings = list(inspection.findings.prefetch_related("orders").order_by("pk"))
    for finding in findings:
        finding.category_label = labels.get(finding.category, finding.category)  # type: ignore[attr-defined]
    dwelling = inspection.dwelling
    overcrowding = None
    if state and dwelling.area_m2 is not None and inspection.adults_found is not None:
        overcrowding = statelaw.assess(
            state,
            dwelling.area_m2,
            persons=inspection.persons_found or 0,
            children_ages=inspection.children_ages_found,
        )
    return render_pdf(
        "housing/letters/inspection_report.html",
        {
            "letterhead": _letterhead(inspection.organisation),
            "inspection": inspection,
            "dwelling": dwelling,
            "building": dwelling.building,
            "checklist": _checklist_rows(inspection),
            "findings": findings,
            "overcrowding": overcrowding,
            "today": timezone.localdate(),
        },
    )


def order_letter(order: Order) -> bytes:
    inspection = order.finding.inspection
    return render_pdf(
        "housing/letters/order_letter.html",
        {
            "letterhead": _letterhead(inspection.organisation),
            "order": order,
            "finding": order.finding,
            "inspection": inspection,
            "dwelling": inspection.dwelling,
            "building": inspection.dwelling.building,
            "addressee": order.addressee,
            "checklist": _checklist_rows(inspection),
            "today": timezone.localdate(),
        },
    )
