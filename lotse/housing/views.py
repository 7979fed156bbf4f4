"""Pages of housing inspection: the register of buildings and dwellings, owners and managers,
inspections (usable on a tablet in a stairwell), orders, letters and figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lotse.core import access
from lotse.core.files import FileUnavailable
from lotse.core.pages import form_page, keyset_page, page, paginate, version_of
from lotse.core.statelaw import housing as statelaw
from lotse.housing import figures as housing_figures
from lotse.housing import letters, selectors, services
from lotse.housing.forms import (
    BuildingForm,
    ClosureForm,
    ContactForm,
    DwellingForm,
    FindingForm,
    FineForm,
    FineStageForm,
    InspectionPlanForm,
    InspectionRecordForm,
    OrderForm,
    OrderOutcomeForm,
    PartyForm,
    PhotoForm,
    RoomForm,
)
from lotse.housing.models import Building, Inspection, Order, Party


def _state_of(organisation: Any) -> str:
    return str(organisation.state) if organisation is not None and organisation.state else ""


def _checklist(organisation: Any) -> list[dict[str, str]]:
    state = _state_of(organisation)
    return statelaw.checklist(state) if state else []


# --- buildings -------------------------------------------------------------------------------------


@login_required
def building_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Building)
    query = request.GET.get("q", "").strip()
    buildings = paginate(request, selectors.buildings_for(request.user, query))
    return render(
        request,
        "housing/building_list.html",
        {"page": buildings, "query": query, "can_create": access.can(request.user, "create", Building)},
    )


def _building_values(form: BuildingForm) -> dict[str, Any]:
    data = form.cleaned_data
    texts = {name: data[name] or "" for name in ("street", "house_number", "postcode", "city", "district")}
    return texts | {name: data[name] for name in ("owner", "manager", "year_built")}


@login_required
def building_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "create", Building)
    parties = selectors.parties_for(request.user)
    form = BuildingForm(request.POST or None, parties=parties, initial={"city": "", "postcode": ""})
    return form_page(
        request,
        form,
        show=page(request, "housing/building_form.html"),
        save=lambda: services.building_create(actor=request.user, **_building_values(form)),
        done=lambda building: redirect("housing:building_detail", building.pk),
    )


@login_required
def building_detail(request: HttpRequest, building_id: int) -> HttpResponse:
    building = selectors.get_building_for(request.user, building_id)
    can_edit = access.can(request.user, "edit", building)
    form = BuildingForm(
        request.POST or None,
        parties=selectors.parties_for(request.user),
        editing=True,
        initial={
            "district": building.district,
            "owner": building.owner_id,
            "manager": building.manager_id,
            "year_built": building.year_built,
            "version": building.version,
        },
    )
    if request.method == "POST":
        access.require(request.user, "edit", building)
    return form_page(
        request,
        form,
        show=page(
            request,
            "housing/building_detail.html",
            building=building,
            dwellings=selectors.dwellings_of(building),
            can_edit=can_edit,
            dwelling_form=DwellingForm(),
        ),
        save=lambda: services.building_update(
            actor=request.user,
            building=building,
            data={name: form.cleaned_data[name] for name in ("district", "owner", "manager", "year_built")}
            | {"district": form.cleaned_data["district"] or ""},
            expected_version=version_of(form),
        ),
        done=lambda _result: redirect("housing:building_detail", building.pk),
        current=lambda: selectors.get_building_for(request.user, building_id),
    )


@login_required
@require_POST
def dwelling_create(request: HttpRequest, building_id: int) -> HttpResponse:
    building = selectors.get_building_for(request.user, building_id, "edit")
    form = DwellingForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form, **extra: render(
            request,
            "housing/building_detail.html",
            {
                "building": building,
                "dwellings": selectors.dwellings_of(building),
                "can_edit": True,
                "form": BuildingForm(parties=selectors.parties_for(request.user), editing=True),
                "dwelling_form": form,
                **extra,
            },
        ),
        save=lambda: services.dwelling_create(actor=request.user, building=building, data=form.to_data()),
        done=lambda dwelling: redirect("housing:dwelling_detail", dwelling.pk),
    )


# --- dwellings --------------------------------------------------------------------------------------


def _dwelling_context(request: HttpRequest, dwelling: Any) -> dict[str, Any]:
    occupancy = selectors.occupancy_of(dwelling)
    return {
        "dwelling": dwelling,
        "building": dwelling.building,
        "occupancy": occupancy,
        "rooms": list(dwelling.room_list.all()),
        "inspections": selectors.inspections_of(dwelling),
        "closure": selectors.open_closure_of(dwelling),
        "can_edit": access.can(request.user, "edit", dwelling),
    }


@login_required
def dwelling_detail(request: HttpRequest, dwelling_id: int) -> HttpResponse:
    dwelling = selectors.get_dwelling_for(request.user, dwelling_id)
    form = RoomForm(request.POST or None)
    if request.method == "POST":
        access.require(request.user, "edit", dwelling)
    return form_page(
        request,
        form,
        show=page(request, "housing/dwelling_detail.html", **_dwelling_context(request, dwelling)),
        save=lambda: services.room_add(
            actor=request.user,
            dwelling=dwelling,
            name=form.cleaned_data["name"],
            area_m2=form.cleaned_data["area_m2"],
        ),
        done=lambda _room: redirect("housing:dwelling_detail", dwelling.pk),
    )


@login_required
def dwelling_edit(request: HttpRequest, dwelling_id: int) -> HttpResponse:
    dwelling = selectors.get_dwelling_for(request.user, dwelling_id, "edit")
    form = DwellingForm(request.POST or None, initial=DwellingForm.initial_for(dwelling))
    return form_page(
        request,
        form,
        show=page(request, "housing/dwelling_form.html", dwelling=dwelling),
        save=lambda: services.dwelling_update(
            actor=request.user, dwelling=dwelling, data=form.to_data(), expected_version=version_of(form)
        ),
        done=lambda _result: redirect("housing:dwelling_detail", dwelling.pk),
        current=lambda: selectors.get_dwelling_for(request.user, dwelling_id),
    )


# --- owners and managers ------------------------------------------------------------------------


@login_required
def party_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Party)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "housing/party_list.html",
        {
            "page": paginate(request, selectors.parties_for(request.user, query)),
            "query": query,
            "can_create": access.can(request.user, "create", Party),
        },
    )


@login_required
def party_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "create", Party)
    form = PartyForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(request, "housing/party_form.html"),
        save=lambda: services.party_create(
            actor=request.user, **{k: v for k, v in form.cleaned_data.items() if k != "version"}
        ),
        done=lambda party: redirect("housing:party_detail", party.pk),
    )


@login_required
def party_edit(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.get_party_for(request.user, party_id, "edit")
    form = PartyForm(
        request.POST or None,
        initial={name: getattr(party, name) for name in ("kind", "name", "address", "phone", "email")}
        | {"version": party.version},
    )
    return form_page(
        request,
        form,
        show=page(request, "housing/party_form.html", party=party),
        save=lambda: services.party_update(
            actor=request.user,
            party=party,
            data={k: v for k, v in form.cleaned_data.items() if k != "version"},
            expected_version=version_of(form),
        ),
        done=lambda _party: redirect("housing:party_detail", party.pk),
        current=lambda: selectors.get_party_for(request.user, party_id),
    )


@login_required
def party_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    party = selectors.get_party_for(request.user, party_id)
    buildings = selectors.buildings_of_party(party)
    form = ContactForm(
        request.POST or None,
        buildings=selectors.buildings_queryset_of_party(party),
        initial={"happened_on": timezone.localdate()},
    )
    if request.method == "POST":
        access.require(request.user, "edit", party)
    return form_page(
        request,
        form,
        show=page(
            request,
            "housing/party_detail.html",
            party=party,
            buildings=buildings,
            contacts=selectors.contacts_of(party),
            can_edit=access.can(request.user, "edit", party),
        ),
        save=lambda: services.party_contact_add(actor=request.user, party=party, **form.cleaned_data),
        done=lambda _contact: redirect("housing:party_detail", party.pk),
    )


# --- inspections ----------------------------------------------------------------------------------


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Inspection)
    status = request.GET.get("stand", "")
    if status not in Inspection.Status.values:
        status = ""
    # By position, newest planned first (``inspection_list_idx``): no count of every
    # inspection the organisation ever planned.
    rows = selectors.inspections_for(request.user, status)
    return render(
        request,
        "housing/inspection_list.html",
        {
            "page": keyset_page(request, rows, ordering=selectors.INSPECTION_ORDER),
            "status": status,
            "statuses": Inspection.Status.choices,
            "notices": list(selectors.notices_from_clearing(request.user)[:20]),
        },
    )


@login_required
def inspection_plan(request: HttpRequest, dwelling_id: int) -> HttpResponse:
    dwelling = selectors.get_dwelling_for(request.user, dwelling_id, "edit")
    referral = None
    referral_id = request.GET.get("verweisung") or request.POST.get("verweisung")
    if referral_id and str(referral_id).isdigit():
        from lotse.cases.models import Referral

        referral = access.get(request.user, Referral, int(referral_id))
    earlier = dwelling.inspections.filter(findings__orders__isnull=False).distinct().order_by("-planned_at")
    initial = {
        "cause": Inspection.Cause.CLEARING if referral else Inspection.Cause.COMPLAINT,
        "planned_on": timezone.localdate() + dt.timedelta(days=7),
        "planned_time": dt.time(10, 0),
    }
    form = InspectionPlanForm(
        request.POST or None, earlier=earlier, team=selectors.team_of(request.user), initial=initial
    )

    def save() -> Inspection:
        data = form.cleaned_data
        return services.inspection_plan(
            actor=request.user,
            dwelling=dwelling,
            cause=data["cause"],
            cause_note=data["cause_note"],
            planned_at=timezone.make_aware(dt.datetime.combine(data["planned_on"], data["planned_time"])),
            announced=data["announced"],
            authorities=data["authorities"],
            referral=referral,
            follows=data["follows"],
            inspectors=list(data["inspectors"]),
        )

    return form_page(
        request,
        form,
        show=page(request, "housing/inspection_plan.html", dwelling=dwelling, referral=referral),
        save=save,
        done=lambda inspection: redirect("housing:inspection_detail", inspection.pk),
    )


def _inspection_context(request: HttpRequest, inspection: Inspection) -> dict[str, Any]:
    checklist = _checklist(inspection.organisation)
    labels = {item["key"]: item for item in checklist}
    findings = selectors.findings_of(inspection)
    for finding in findings:
        finding.category_label = labels.get(finding.category, {}).get("label", finding.category)  # type: ignore[attr-defined]
    rows = [
        {
            "label": item["label"],
            "citation": item["citation"],
            "value": Inspection.Check(inspection.checklist[item["key"]]).label
            if inspection.checklist.get(item["key"]) in Inspection.Check.values
            else "",
            "deficient": inspection.checklist.get(item["key"]) == Inspection.Check.DEFICIENT,
        }
        for item in checklist
    ]
    can_edit = access.can(request.user, "edit", inspection)
    open_ = inspection.status == Inspection.Status.PLANNED
    return {
        "inspection": inspection,
        "dwelling": inspection.dwelling,
        "checklist_rows": rows,
        "findings": findings,
        "photos": selectors.photos_of(inspection),
        "to_check": selectors.orders_to_check(inspection),
        "can_edit": can_edit,
        "open": open_,
        "finding_form": FindingForm(checklist=checklist) if can_edit and open_ else None,
        "photo_form": PhotoForm() if can_edit else None,
        "order_form": OrderForm(initial={"deadline": timezone.localdate() + dt.timedelta(days=28)})
        if can_edit
        else None,
        "closure_form": ClosureForm(
            initial={
                "vacate_by": timezone.localdate() + dt.timedelta(days=28),
                "referral_legal_basis": _referral_basis(inspection),
            }
        )
        if can_edit and not selectors.open_closure_of(inspection.dwelling)
        else None,
        "outcome_choices": [c for c in Order.Outcome.choices if c[0] != Order.Outcome.OPEN],
        "today": timezone.localdate(),
    }


def _referral_basis(inspection: Inspection) -> str:
    law = statelaw.citation_of(_state_of(inspection.organisation), "uninhabitable")
    return f"{law} i. V. m. Art. 6 Abs. 1 lit. e DSGVO"


def _record_form(request: HttpRequest, inspection: Inspection, data: Any = None) -> InspectionRecordForm:
    checklist = _checklist(inspection.organisation)
    initial = {
        "adults_found": inspection.adults_found,
        "children_ages": ", ".join(str(age) for age in inspection.children_ages_found),
        "summary": inspection.summary,
        "version": inspection.version,
    } | {f"check_{key}": value for key, value in inspection.checklist.items()}
    return InspectionRecordForm(data, checklist=checklist, initial=initial)


@login_required
def inspection_detail(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id)
    form = _record_form(request, inspection, request.POST or None)
    if request.method == "POST":
        access.require(request.user, "edit", inspection)
    return form_page(
        request,
        form,
        show=page(request, "housing/inspection_detail.html", **_inspection_context(request, inspection)),
        save=lambda: services.inspection_record(
            actor=request.user,
            inspection=inspection,
            checklist=form.checklist(),
            adults_found=form.cleaned_data["adults_found"],
            children_ages_found=form.cleaned_data["children_ages"],
            summary=form.cleaned_data["summary"],
            expected_version=version_of(form),
        ),
        done=lambda _result: redirect("housing:inspection_detail", inspection.pk),
        current=lambda: selectors.get_inspection_for(request.user, inspection_id),
    )


def _inspection_page(request: HttpRequest, inspection: Inspection, **forms: Any) -> Any:
    def show(form: Form | None = None, **extra: Any) -> HttpResponse:
        context = {
            **_inspection_context(request, inspection),
            **forms,
            "form": _record_form(request, inspection),
        }
        return render(request, "housing/inspection_detail.html", {**context, **extra})

    return show


@login_required
@require_POST
def finding_add(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id, "edit")
    form = FindingForm(request.POST, checklist=_checklist(inspection.organisation))
    return form_page(
        request,
        form,
        show=lambda f, **extra: _inspection_page(request, inspection, finding_form=f)(**extra),
        save=lambda: services.finding_add(actor=request.user, inspection=inspection, **form.cleaned_data),
        done=lambda _finding: redirect(
            reverse("housing:inspection_detail", args=[inspection.pk]) + "#befunde"
        ),
    )


@login_required
@require_POST
def photo_upload(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id, "edit")
    form = PhotoForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        show=lambda f, **extra: _inspection_page(request, inspection, photo_form=f)(**extra),
        save=lambda: services.photo_upload(
            actor=request.user,
            inspection=inspection,
            upload=form.cleaned_data["file"],
            caption=form.cleaned_data["caption"],
        ),
        done=lambda _photo: redirect(reverse("housing:inspection_detail", args=[inspection.pk]) + "#fotos"),
    )


@login_required
def photo_download(request: HttpRequest, photo_id: int) -> HttpResponseBase:
    photo = selectors.get_photo_for(request.user, photo_id)
    try:
        handle = services.photo_open(actor=request.user, photo=photo)
    except FileUnavailable as problem:
        return render(request, "cases/document_missing.html", {"message": str(problem)}, status=410)
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_POST
def inspection_complete(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id, "edit")
    return form_page(
        request,
        Form(request.POST),
        show=_inspection_page(request, inspection),
        save=lambda: services.inspection_complete(actor=request.user, inspection=inspection),
        done=lambda _result: redirect("housing:inspection_detail", inspection.pk),
    )


@login_required
@require_POST
def order_issue(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = selectors.get_finding_for(request.user, finding_id)
    inspection = selectors.get_inspection_for(request.user, finding.inspection_id, "edit")
    form = OrderForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda f, **extra: _inspection_page(request, inspection, order_form=f, order_finding=finding.pk)(
            **extra
        ),
        save=lambda: services.order_issue(actor=request.user, finding=finding, **form.cleaned_data),
        done=lambda _order: redirect(reverse("housing:inspection_detail", args=[inspection.pk]) + "#befunde"),
    )


@login_required
@require_POST
def inspection_cancel(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id, "edit")
    return form_page(
        request,
        Form(request.POST),
        show=_inspection_page(request, inspection),
        save=lambda: services.inspection_cancel(actor=request.user, inspection=inspection),
        done=lambda _result: redirect("housing:inspection_detail", inspection.pk),
    )


@login_required
@require_POST
def closure_lift(request: HttpRequest, dwelling_id: int) -> HttpResponse:
    dwelling = selectors.get_dwelling_for(request.user, dwelling_id, "edit")
    closure = selectors.open_closure_of(dwelling)
    if closure is None:
        from django.http import Http404

        raise Http404
    return form_page(
        request,
        Form(request.POST),
        show=page(request, "housing/dwelling_detail.html", **_dwelling_context(request, dwelling)),
        save=lambda: services.closure_lift(actor=request.user, closure=closure),
        done=lambda _result: redirect("housing:dwelling_detail", dwelling.pk),
    )


@login_required
@require_POST
def closure_declare(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id, "edit")
    form = ClosureForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda f, **extra: _inspection_page(request, inspection, closure_form=f)(**extra),
        save=lambda: services.closure_declare(actor=request.user, inspection=inspection, **form.cleaned_data),
        done=lambda _closure: redirect("housing:dwelling_detail", inspection.dwelling_id),
    )


@login_required
def inspection_report(request: HttpRequest, inspection_id: int) -> HttpResponse:
    inspection = selectors.get_inspection_for(request.user, inspection_id)
    content = letters.inspection_report(inspection)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kontrollbericht-{inspection.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- orders --------------------------------------------------------------------------------------


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Order)
    outcome = request.GET.get("ergebnis", "")
    if outcome not in Order.Outcome.values:
        outcome = ""
    return render(
        request,
        "housing/order_list.html",
        {
            "page": paginate(request, selectors.orders_for(request.user, outcome)),
            "outcome": outcome,
            "outcomes": Order.Outcome.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.get_order_for(request.user, order_id)
    form = OrderOutcomeForm(
        request.POST or None,
        initial={
            "outcome": "" if order.outcome == Order.Outcome.OPEN else order.outcome,
            "outcome_on": timezone.localdate(),
            "version": order.version,
        },
    )
    if request.method == "POST":
        access.require(request.user, "edit", order)
    return form_page(
        request,
        form,
        show=page(
            request,
            "housing/order_detail.html",
            order=order,
            inspection=order.finding.inspection,
            fines=selectors.fines_of(order),
            fine_form=FineForm(),
            stage_form=FineStageForm(),
            can_edit=access.can(request.user, "edit", order),
        ),
        save=lambda: services.order_outcome(
            actor=request.user,
            order=order,
            outcome=form.cleaned_data["outcome"],
            on=form.cleaned_data["outcome_on"],
            expected_version=version_of(form),
        ),
        done=lambda _result: redirect("housing:order_detail", order.pk),
        current=lambda: selectors.get_order_for(request.user, order_id),
    )


@login_required
@require_POST
def fine_open(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.get_order_for(request.user, order_id, "edit")
    form = FineForm(request.POST)
    return form_page(
        request,
        form,
        show=page(
            request,
            "housing/order_detail.html",
            order=order,
            inspection=order.finding.inspection,
            fines=selectors.fines_of(order),
            stage_form=FineStageForm(),
            can_edit=True,
        ),
        save=lambda: services.fine_open(
            actor=request.user,
            order=order,
            amount_eur=form.cleaned_data["amount_eur"],
            note=form.cleaned_data["note"],
        ),
        done=lambda _fine: redirect("housing:order_detail", order.pk),
    )


@login_required
@require_POST
def fine_stage(request: HttpRequest, fine_id: int) -> HttpResponse:
    fine = selectors.get_fine_for(request.user, fine_id)
    form = FineStageForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda f, **extra: redirect("housing:order_detail", fine.order_id),
        save=lambda: services.fine_stage(
            actor=request.user, fine=fine, stage=form.cleaned_data["stage"], expected_version=version_of(form)
        ),
        done=lambda _fine: redirect("housing:order_detail", fine.order_id),
    )


@login_required
def order_letter(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.get_order_for(request.user, order_id)
    response = HttpResponse(letters.order_letter(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="anordnung-{order.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- figures ---------------------------------------------------------------------------------------


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    from lotse.accounts.models import Organisation

    access.require(request.user, "housing_figures", Organisation)
    return render(request, "housing/figures.html", {"figures": housing_figures.figures_for(request.user)})
