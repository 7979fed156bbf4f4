"""Register import pages of the Clearingstelle: list, upload, mapping, preview, progress."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotse.accounts.models import Organisation, Unit, User
from lotse.cases.selectors.consents import valid_consents_for
from lotse.cases.selectors.referrals import provisions_for, referrals_of_interview
from lotse.cases.services.referrals import recipient_organisations
from lotse.clearing import occupancy, selectors, services
from lotse.clearing.exports import figures_xlsx
from lotse.clearing.forms import (
    ChildFormSet,
    InterviewForm,
    MappingForm,
    MaterialForm,
    UploadForm,
    VersionUploadForm,
    child_initial,
    saved_child_initial,
)
from lotse.clearing.models import ArrivalInterview, Material, MaterialVersion, RegisterImport
from lotse.clearing.routing import Proposal, facts_of, propose
from lotse.core import access
from lotse.core.pages import error_text, form_page, is_htmx, page, paginate
from lotse.people.matching import DEFAULT_THRESHOLD, parse_birth_date
from lotse.people.models import Person
from lotse.people.selectors import get_person_for, person_search


def _status_context(request: HttpRequest, register_import: RegisterImport) -> dict[str, Any]:
    done = register_import.status == RegisterImport.Status.DONE
    return {
        "imp": register_import,
        "changed": selectors.changed_persons_of(request.user, register_import) if done else [],
    }


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", RegisterImport)
    imports = paginate(request, selectors.imports_visible_to(request.user))
    return render(request, "clearing/import_list.html", {"page": imports})


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", RegisterImport)
    form = UploadForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        show=page(
            request, "clearing/import_upload.html", max_mb=services.max_upload_bytes() // (1024 * 1024)
        ),
        save=lambda: services.register_import_create(
            actor=request.user,
            organisation=cast(User, request.user).organisation,  # type: ignore[arg-type]
            upload=form.cleaned_data["file"],
        ),
        done=lambda register_import: redirect("clearing:import_mapping", register_import.pk),
    )


@login_required
def import_mapping(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    if register_import.status not in RegisterImport.MAPPABLE:
        return redirect("clearing:import_detail", register_import.pk)
    form = MappingForm(
        request.POST or None,
        columns=register_import.columns,
        mapping=register_import.mapping,
        examples=selectors.column_examples(register_import),
    )
    return form_page(
        request,
        form,
        show=page(request, "clearing/import_mapping.html", imp=register_import),
        save=lambda: services.register_import_map(
            actor=request.user, register_import=register_import, mapping=form.mapping()
        ),
        done=lambda _result: redirect("clearing:import_detail", register_import.pk),
    )


@login_required
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    if register_import.status == RegisterImport.Status.UPLOADED:
        return redirect("clearing:import_mapping", register_import.pk)
    return _import_page(request, register_import)


def _import_page(
    request: HttpRequest, register_import: RegisterImport, *, posted: Any = None, start_errors: Any = ()
) -> HttpResponse:
    context = _status_context(request, register_import)
    if register_import.status in (RegisterImport.Status.READY, RegisterImport.Status.INVALID):
        context["preview"] = selectors.preview_of(register_import)
        context["duplicates"] = selectors.duplicates_of(request.user, register_import, posted)
        context["start_errors"] = list(start_errors)
    return render(request, "clearing/import_detail.html", context, status=400 if start_errors else 200)


@login_required
def import_progress(request: HttpRequest, import_id: int) -> HttpResponse:
    """The status block alone, polled by htmx while the import runs."""
    register_import = selectors.get_import_for(request.user, import_id)
    return render(request, "clearing/partials/import_status.html", _status_context(request, register_import))


def _back_to_import(request: HttpRequest, register_import: RegisterImport) -> Any:
    """After a button on the import page: back to it, with what went wrong as a message."""

    def show(form: Form, **extra: Any) -> HttpResponse:
        messages.error(request, error_text(form))
        return redirect("clearing:import_detail", register_import.pk)

    return show


@login_required
@require_POST
def import_start(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    # One choice per flagged row: „doppelt-<row>“ = skip, new or person:<id>.
    decisions = {
        name.removeprefix("doppelt-"): str(value)
        for name, value in request.POST.items()
        if name.startswith("doppelt-")
    }

    def show(form: Form, **extra: Any) -> HttpResponse:
        if register_import.status != RegisterImport.Status.READY:
            return _back_to_import(request, register_import)(form)
        # The page again with the choices made, and why the import did not start.
        errors = [str(message) for messages_ in form.errors.values() for message in messages_]
        return _import_page(request, register_import, posted=request.POST, start_errors=errors)

    return form_page(
        request,
        Form(request.POST),
        show=show,
        save=lambda: services.register_import_start(
            actor=request.user, register_import=register_import, decisions=decisions
        ),
        done=lambda _result: redirect("clearing:import_detail", register_import.pk),
    )


@login_required
@require_POST
def import_discard(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Der Import ist verworfen; die Datei ist gelöscht."))
        return redirect("clearing:import_list")

    return form_page(
        request,
        Form(request.POST),
        show=_back_to_import(request, register_import),
        save=lambda: services.register_import_discard(actor=request.user, register_import=register_import),
        done=done,
    )


# --- Arrival interviews ----------------------------------------------------------------------


@login_required
def interview_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", ArrivalInterview)
    interviews = paginate(request, selectors.interviews_visible_to(request.user))
    return render(request, "clearing/interview_list.html", {"page": interviews})


@login_required
def interview_start(request: HttpRequest) -> HttpResponse:
    """Pick the person: a name search over the register (htmx updates the results)."""
    access.require(request.user, "list", ArrivalInterview)
    query = request.GET.get("q", "").strip()
    persons = list(person_search(request.user, query)[:20]) if query else []
    partial = "clearing/partials/interview_person_results.html"
    template = partial if is_htmx(request) else "clearing/interview_start.html"
    return render(request, template, {"query": query, "persons": persons})


def _proposals(interview: ArrivalInterview) -> list[Proposal]:
    facts = facts_of(interview, state=interview.organisation.state)
    return propose(facts, selectors.routing_rules_of(interview.organisation_id))


@login_required
def interview_create(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.get_interview_person_for(request.user, person_id)
    today = timezone.localdate()
    household = selectors.interview_household(person, on=today)
    materials = selectors.materials_of(person.organisation_id)
    initial = {
        "held_on": today,
        "languages": list(person.languages),
        "material_languages": list(dict.fromkeys(["de", *person.languages])),
        "material_topics": list(dict.fromkeys(m.material.topic for m in materials)),
    }
    form = InterviewForm(
        request.POST or None, initial=initial, household=household.adults, materials=materials
    )
    # The household's children under 18 come pre-filled; the clerk completes or drops each row.
    school_from = selectors.school_age_from(person.organisation_id) if request.method == "GET" else None
    children = ChildFormSet(
        request.POST or None,
        prefix="kinder",
        initial=[child_initial(m, on=today, school_from=school_from) for m in household.minors]
        if request.method == "GET"
        else None,
        form_kwargs={"household": household.members},
    )

    def save() -> ArrivalInterview:
        _children_checked(children)
        return services.interview_create(
            actor=request.user,
            person=person,
            data=form.data_for_service(),
            children=children.children_data(),
            further_adults=form.cleaned_data["further_adults"],
            materials=form.chosen_materials(),
        )

    def done(interview: ArrivalInterview) -> HttpResponse:
        messages.success(request, _("Das Ankunftsgespräch ist gespeichert. Bitte prüfen Sie die Vorschläge."))
        if interview.children.filter(person__isnull=True).exists():
            # Children named as free text: offer them to the register and the household first.
            return redirect("clearing:interview_members", interview.pk)
        return redirect("clearing:interview_detail", interview.pk)

    return form_page(
        request,
        form,
        show=page(
            request,
            "clearing/interview_form.html",
            children=children,
            person=person,
            has_household=bool(household),
            has_adults=bool(household.adults),
            prefilled=bool(household.minors),
        ),
        save=save,
        done=done,
    )


def _children_checked(children: Any) -> None:
    """The child rows are a second form on the page: nothing is saved while one is wrong."""
    if not children.is_valid():
        raise ValidationError(_("Bitte prüfen Sie die Angaben zu den Kindern."))


@login_required
def interview_edit(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The interview form again, as saved; saving checks that nobody saved in between."""
    interview = selectors.get_interview_for(request.user, interview_id)
    person = interview.person
    household = selectors.interview_household(person, on=interview.held_on, interview=interview)
    materials = selectors.materials_of(interview.organisation_id)
    form = InterviewForm(
        request.POST or None,
        initial=InterviewForm.initial_for(interview),
        household=household.adults,
        materials=materials,
    )
    children = ChildFormSet(
        request.POST or None,
        prefix="kinder",
        initial=[saved_child_initial(child) for child in interview.children.all()]
        if request.method == "GET"
        else None,
        form_kwargs={"household": household.members},
    )

    def save() -> ArrivalInterview:
        _children_checked(children)
        return services.interview_update(
            actor=request.user,
            interview=interview,
            data=form.data_for_service(),
            children=children.children_data(),
            further_adults=form.cleaned_data["further_adults"],
            materials=form.chosen_materials(),
            expected_version=form.cleaned_data["version"],
        )

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Änderungen am Ankunftsgespräch sind gespeichert."))
        return redirect("clearing:interview_detail", interview.pk)

    return form_page(
        request,
        form,
        show=page(
            request,
            "clearing/interview_form.html",
            children=children,
            person=person,
            interview=interview,
            has_household=bool(household),
            has_adults=bool(household.adults),
        ),
        save=save,
        done=done,
    )


@login_required
def interview_child_row(request: HttpRequest, person_id: int) -> HttpResponse:
    """One more empty child row (htmx); the index comes from the management form."""
    person = selectors.get_interview_person_for(request.user, person_id)
    index = int(request.GET.get("index", "0") or 0)
    household = selectors.household_members(person)
    form = ChildFormSet(prefix="kinder", form_kwargs={"household": household}).empty_form
    form.prefix = f"kinder-{index}"
    return render(
        request,
        "clearing/partials/child_row.html",
        {"child": form, "index": index, "focus": True, "has_household": bool(household)},
    )


def _proposal_rows(
    request: HttpRequest, interview: ArrivalInterview, proposals: list[Proposal], posted: Any = None
) -> list[dict[str, Any]]:
    """One row per proposal with the bases the clerk may choose from, none of them chosen.

    The provisions are those configured on the way from the unit that sends (the
    Clearingstelle that holds the interview) to the receiving unit, plus the one the routing
    rule names: a provision on another unit's way says nothing about this one. What was
    posted (a refused form) is shown again as typed.
    """
    units = selectors.units_by_slug([p.to_unit for p in proposals])
    consents = valid_consents_for(request.user, interview.person) if proposals else []
    sending = access.visible(request.user, Unit, "keep_register").filter(
        organisations=interview.organisation_id
    )
    offered = provisions_for(sending.values("pk"), [u.pk for u in units.values()]) if proposals else {}
    posted = posted or {}
    chosen = set(posted.getlist("vorschlag")) if posted else set()
    rows = []
    for p in proposals:
        unit = units.get(p.to_unit)
        recipients = (
            recipient_organisations(organisation_id=interview.organisation_id, to_unit=unit) if unit else []
        )
        wanted = {o.pk for o in recipients}
        provisions = list(offered.get(unit.pk, [])) if unit else []
        if p.legal_basis and p.legal_basis not in provisions:
            provisions.append(p.legal_basis)
        rows.append(
            {
                "proposal": p,
                "unit": unit,
                "shared": bool(recipients),
                "recipients": recipients,
                "provisions": provisions,
                # Consents that name every recipient of this unit.
                "consents": [c for c in consents if wanted <= {o.pk for o in c.recipients.all()}],
                "checked": p.to_unit in chosen,
                "consent_chosen": posted.get(f"einwilligung-{p.to_unit}", ""),
                "provision_chosen": posted.get(f"vorschrift-{p.to_unit}", ""),
                "basis_typed": posted.get(f"basis-{p.to_unit}", ""),
            }
        )
    return rows


def _interview_page(
    request: HttpRequest, interview: ArrivalInterview, *, posted: Any = None, route_errors: Any = ()
) -> HttpResponse:
    referrals = referrals_of_interview(request.user, interview)
    routed = {r.to_unit.slug for r in referrals}
    proposals = [p for p in _proposals(interview) if p.to_unit not in routed]
    return render(
        request,
        "clearing/interview_detail.html",
        {
            "interview": interview,
            "referrals": referrals,
            "rows": _proposal_rows(request, interview, proposals, posted),
            "route_errors": list(route_errors),
            "open_children": sum(1 for child in interview.children.all() if child.person_id is None),
            "need_labels": [ArrivalInterview.Need(n).label for n in interview.needs],
        },
        status=400 if route_errors else 200,
    )


@login_required
def interview_detail(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = selectors.get_interview_for(request.user, interview_id)
    return _interview_page(request, interview)


@login_required
@require_POST
def interview_route(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = selectors.get_interview_for(request.user, interview_id)
    access.require(request.user, "edit", interview)
    by_unit = {p.to_unit: p for p in _proposals(interview)}
    consents = {c.pk: c for c in valid_consents_for(request.user, interview.person)}
    confirmed = [
        (
            by_unit[slug],
            request.POST.get(f"basis-{slug}", "").strip() or request.POST.get(f"vorschrift-{slug}", ""),
            consents.get(int(request.POST.get(f"einwilligung-{slug}") or 0)),
        )
        for slug in request.POST.getlist("vorschlag")
        if slug in by_unit
    ]

    def save() -> list[Any]:
        if not confirmed:
            raise ValidationError(_("Bitte wählen Sie mindestens einen Vorschlag aus."))
        return services.interview_route(actor=request.user, interview=interview, confirmed=confirmed)

    def done(created: list[Any]) -> HttpResponse:
        messages.success(request, _("%(count)s Verweisungen sind angelegt.") % {"count": len(created)})
        return redirect("clearing:interview_detail", interview.pk)

    def show(form: Form, **extra: Any) -> HttpResponse:
        # The page again with what was ticked and typed, and why nothing was created.
        errors = [str(message) for messages_ in form.errors.values() for message in messages_]
        return _interview_page(request, interview, posted=request.POST, route_errors=errors)

    return form_page(request, Form(request.POST), show=show, save=save, done=done)


@login_required
def interview_members(request: HttpRequest, interview_id: int) -> HttpResponse:
    """The children named only as free text: into the register and the household, each as
    the clerk decides (new person, a likely existing one, or not now)."""
    interview = selectors.get_interview_for(request.user, interview_id)
    access.require(request.user, "edit", interview)
    posted = request.POST if request.method == "POST" else None
    members = selectors.open_members(request.user, interview, posted)
    adults = selectors.new_adults(request.user, posted)

    def chosen(choice: str, name: str) -> tuple[str, Person | None]:
        if choice.startswith("person:"):
            return "link", get_person_for(request.user, int(choice.removeprefix("person:") or 0))
        if choice not in (services.MEMBER_NEW, services.MEMBER_SKIP):
            raise ValidationError(
                _("%(name)s: Bitte entscheiden Sie: neu anlegen, verbinden oder überspringen.")
                % {"name": name}
            )
        return choice, None

    def adult_decision(adult: selectors.NewAdult) -> services.MemberDecision:
        name = f"{adult.given_names} {adult.family_name}".strip()
        action, person = chosen(adult.decision, name)
        if action != services.MEMBER_SKIP and adult.relationship not in selectors.ADULT_RELATIONSHIPS:
            raise ValidationError(_("%(name)s: Bitte die Stellung im Haushalt wählen.") % {"name": name})
        try:
            born = parse_birth_date(adult.birth_date)
        except ValueError as error:
            raise ValidationError(_("%(name)s: %(error)s") % {"name": name, "error": error}) from None
        return services.MemberDecision(
            child=None,
            action=action,
            person=person,
            given_names=adult.given_names,
            family_name=adult.family_name,
            birth_date=born,
            relationship=adult.relationship,
            label=name,
        )

    def save() -> list[Any]:
        decisions = []
        for member in members:
            action, person = chosen(member.decision, member.child.name)
            decisions.append(
                services.MemberDecision(
                    child=member.child,
                    action=action,
                    person=person,
                    given_names=member.given_names,
                    family_name=member.family_name,
                    label=member.child.name,
                )
            )
        decisions += [adult_decision(adult) for adult in adults if adult.given]
        return services.interview_members_add(actor=request.user, interview=interview, decisions=decisions)

    def done(added: list[Any]) -> HttpResponse:
        messages.success(
            request,
            ngettext(
                "Eine Person ist jetzt im Register und im Haushalt.",
                "%(count)s Personen sind jetzt im Register und im Haushalt.",
                len(added),
            )
            % {"count": len(added)},
        )
        return redirect("clearing:interview_detail", interview.pk)

    show = page(
        request,
        "clearing/interview_members.html",
        interview=interview,
        members=members,
        adults=adults,
        relationships=[(r.value, r.label) for r in selectors.ADULT_RELATIONSHIPS],
        threshold=DEFAULT_THRESHOLD,
    )
    if posted is not None and "pruefen" in posted:  # only the duplicate check for what was typed
        return show(Form(posted))
    return form_page(
        request,
        Form(request.POST or None),
        show=show,
        save=save,
        done=done,
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "figures", Organisation)
    result = selectors.figures_for(request.user)
    return render(
        request,
        "clearing/figures.html",
        {"figures": result, "nationalities": selectors.NATIONALITIES, "sectors": selectors.SECTORS},
    )


@login_required
def figures_download(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "figures", Organisation)
    content = figures_xlsx(selectors.figures_for(request.user))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="kennzahlen-clearingstelle.xlsx"'
    return response


# --- Occupancy plans ----------------------------------------------------------------------------


@login_required
def building_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", ArrivalInterview)
    query = request.GET.get("q", "").strip()
    buildings = paginate(request, occupancy.buildings_for(request.user, query))
    return render(request, "clearing/building_list.html", {"page": buildings, "query": query})


@login_required
def occupancy_plan(request: HttpRequest, building_id: int) -> HttpResponse:
    building, plan = occupancy.occupancy_plan(request.user, building_id)
    return render(request, "clearing/occupancy_plan.html", {"building": building, "plan": plan})


# --- The information library -------------------------------------------------------------------


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """Materials by topic, with the current version per language."""
    access.require(request.user, "list", Material)
    user = cast(User, request.user)
    return render(
        request,
        "clearing/library.html",
        {
            "library": selectors.library_for(user),
            "can_keep": user.organisation is not None and access.can(user, "keep_library", user.organisation),
        },
    )


def _own_organisation(request: HttpRequest) -> Organisation:
    organisation = cast(User, request.user).organisation
    if organisation is None:
        raise Http404
    access.require(request.user, "keep_library", organisation)
    return organisation


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    form = MaterialForm(request.POST or None)

    def done(material: Material) -> HttpResponse:
        messages.success(request, _("Das Material ist angelegt. Laden Sie jetzt die erste Fassung hoch."))
        return redirect("clearing:material_detail", material.pk)

    return form_page(
        request,
        form,
        show=page(request, "clearing/material_form.html"),
        save=lambda: services.material_create(
            actor=request.user,
            organisation=organisation,
            topic=form.cleaned_data["topic"],
            title=form.cleaned_data["title"],
            public=form.cleaned_data["public"],
        ),
        done=done,
    )


def _material_page(request: HttpRequest, material: Material, **forms: Any) -> Any:
    can_keep = access.can(request.user, "edit", material)
    languages = [language for language, _versions in selectors.versions_of_material(material)]
    context: dict[str, Any] = {
        "material": material,
        "versions": selectors.versions_of_material(material),
        "can_keep": can_keep,
        "max_mb": services.document_storage.max_bytes() // (1024 * 1024),
    }
    if can_keep:
        context["upload_form"] = forms.get("upload_form") or VersionUploadForm(languages=languages)
        context["edit_form"] = forms.get("edit_form") or MaterialForm(
            initial={"topic": material.topic, "title": material.title, "public": material.public}
        )
    return page(request, "clearing/material_detail.html", **context)


@login_required
def material_detail(request: HttpRequest, material_id: int) -> HttpResponse:
    material = selectors.get_material_for(request.user, material_id)
    return _material_page(request, material)()


@login_required
def material_upload(request: HttpRequest, material_id: int) -> HttpResponse:
    material = selectors.get_material_for(request.user, material_id, "edit")
    languages = [language for language, _versions in selectors.versions_of_material(material)]
    form = VersionUploadForm(request.POST or None, request.FILES or None, languages=languages)

    def done(version: MaterialVersion) -> HttpResponse:
        if version.is_current:
            messages.success(
                request,
                _("Fassung %(n)s (%(language)s) ist hochgeladen und jetzt die aktuelle.")
                % {"n": version.number, "language": version.language},
            )
        else:
            messages.success(
                request,
                _(
                    "Fassung %(n)s (%(language)s) ist hochgeladen. Aktuell bleibt die ausgewählte "
                    "ältere Fassung, bis Sie die neue auswählen."
                )
                % {"n": version.number, "language": version.language},
            )
        return redirect("clearing:material_detail", material.pk)

    return form_page(
        request,
        form,
        show=lambda f, **extra: _material_page(request, material, upload_form=f)(**extra),
        save=lambda: services.material_version_upload(
            actor=request.user,
            material=material,
            language=form.cleaned_data["language"],
            upload=form.cleaned_data["file"],
        ),
        done=done,
    )


@login_required
def material_edit(request: HttpRequest, material_id: int) -> HttpResponse:
    material = selectors.get_material_for(request.user, material_id, "edit")
    form = MaterialForm(request.POST or None)
    if request.method != "POST":
        return redirect("clearing:material_detail", material.pk)

    def done(_material: Material) -> HttpResponse:
        messages.success(request, _("Die Angaben zum Material sind gespeichert."))
        return redirect("clearing:material_detail", material.pk)

    return form_page(
        request,
        form,
        show=lambda f, **extra: _material_page(request, material, edit_form=f)(**extra),
        save=lambda: services.material_update(actor=request.user, material=material, data=form.cleaned_data),
        done=done,
    )


@login_required
@require_POST
def material_version_choose(request: HttpRequest, material_version_id: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, material_version_id)
    material = version.material

    def done(chosen: MaterialVersion) -> HttpResponse:
        messages.success(
            request,
            _("Fassung %(n)s ist jetzt die aktuelle (%(language)s).")
            % {"n": chosen.number, "language": chosen.language},
        )
        return redirect("clearing:material_detail", material.pk)

    return form_page(
        request,
        Form(request.POST),
        show=_material_page(request, material),
        save=lambda: services.material_version_choose(actor=request.user, version=version),
        done=done,
    )


def _pdf_response(handle: Any, name: str) -> FileResponse:
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def material_version_download(request: HttpRequest, material_version_id: int) -> HttpResponseBase:
    version = selectors.get_version_for(request.user, material_version_id)
    try:
        handle = services.material_version_open(actor=request.user, version=version)
    except services.MaterialUnavailable as problem:
        return render(request, "cases/document_missing.html", {"message": str(problem)}, status=410)
    response = _pdf_response(handle, selectors.public_file_name(version))
    response["Cache-Control"] = "private, no-store"
    return response


def material_public(request: HttpRequest, public_id: int, name: str) -> HttpResponseBase:
    """The current file of a public material, for anyone without an account (the portal's
    downloads); anything else is 404."""
    version = selectors.get_public_version(public_id)
    if name != selectors.public_file_name(version):
        raise Http404
    try:
        handle = services.material_version_open(actor=None, version=version, public=True)
    except services.MaterialUnavailable:
        raise Http404 from None
    response = _pdf_response(handle, name)
    response["Cache-Control"] = "public, max-age=3600"
    return response
