"""The school team's pages: the list that matters most, a child with the enrolment path and
missed-schooling reports, the schools and day-care centres, the figures, letters to parents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.pages import form_page, keyset_page, page, paginate, version_of
from lotse.schooling import letters, selectors, services
from lotse.schooling.forms import (
    EndForm,
    RegisterForm,
    ReportCloseForm,
    ReportForm,
    ReportStepForm,
    SchoolForm,
    StepForm,
    TargetForm,
)
from lotse.schooling.models import Enrolment, ListedChild, School

# Steps in the URL (German words) → the service's step names.
ENROLMENT_STEPS = {"sprachstand": "assessed", "zuweisung": "placed", "erster-schultag": "first_day"}
ENROLMENT_SLUGS = {value: key for key, value in ENROLMENT_STEPS.items()}
REPORT_STEPS = {
    "eltern": "parents_contacted",
    "landkreis": "county_reported",
    "hausbesuch": "home_visit",
    "anhoerung": "hearing",
    "bussgeld": "fine_proceedings",
}
REPORT_SLUGS = {value: key for key, value in REPORT_STEPS.items()}
# The line under the list counts the children up to this many („mehr als 999 Kinder“).
COUNTED = 999
LISTS = {
    "schule": (ListedChild.Need.SCHOOL, True),
    "kita": (ListedChild.Need.DAY_CARE, True),
    "alle": (None, False),
}


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    """The list that matters most: school-age children without a school place, oldest waiting first."""
    access.require(request.user, "list", ListedChild)
    which = request.GET.get("liste", "schule")
    if which not in LISTS:
        which = "schule"
    need, waiting_only = LISTS[which]
    today = timezone.localdate()
    if waiting_only:
        rows, order = selectors.waiting_for(request.user, need=need), selectors.WAITING_ORDER  # type: ignore[arg-type]
    else:
        rows, order = selectors.children_for(request.user), selectors.ALL_ORDER
    # By position from an index, the children counted up to COUNTED: neither costs more as the
    # list grows over the years.
    shown = keyset_page(request, rows, ordering=order, count_to=COUNTED)
    return render(
        request,
        "schooling/child_list.html",
        {
            "page": shown,
            "rows": selectors.waiting_rows(list(shown.object_list), today),
            "which": which,
            "lists": [
                ("schule", _("Warten auf einen Schulplatz")),
                ("kita", _("Warten auf einen Kita-Platz")),
                ("alle", _("Alle Kinder")),
            ],
        },
    )


@login_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.get_child_for(request.user, child_id)
    today = timezone.localdate()
    enrolments = selectors.enrolments_of(child)
    active = next((e for e in enrolments if e.active), None)
    reports = [selectors.report_state(r, today) for r in selectors.reports_of(child)]
    for state in reports:
        state.report.child = child
    writer = access.can(request.user, "edit", child)
    return render(
        request,
        "schooling/child_detail.html",
        {
            "child": child,
            "parents": selectors.parents_of(request.user, child),
            "enrolments": enrolments,
            "active": active,
            "next_slug": ENROLMENT_SLUGS.get(step or "")
            if (step := services.next_step(active) if active else None)
            else None,
            "next_label": services.STEP_LABELS.get(step or "", ""),
            "reports": reports,
            "writer": writer,
            "duty": selectors.duty_of(child, today),
            "letters": letters.LETTERS,
            "languages": letters.languages_for(child.person),
        },
    )


@login_required
def enrolment_register(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.get_child_for(request.user, child_id, "edit")
    schools = selectors.schools_for(request.user).filter(unit_id=child.unit_id)
    form = RegisterForm(request.POST or None, schools=schools)

    def done(enrolment: Enrolment) -> HttpResponse:
        messages.success(
            request, _("Die Anmeldung an „%(school)s“ ist eingetragen.") % {"school": enrolment.school}
        )
        return redirect("schooling:child_detail", child.pk)

    return form_page(
        request,
        form,
        show=page(request, "schooling/enrolment_register.html", child=child),
        save=lambda: services.enrolment_register(
            actor=request.user, child=child, school=form.cleaned_data["school"], on=form.cleaned_data["on"]
        ),
        done=done,
    )


@login_required
def enrolment_step(request: HttpRequest, enrolment_id: int, step: str) -> HttpResponse:
    if step not in ENROLMENT_STEPS:
        raise Http404
    enrolment = selectors.get_enrolment_for(request.user, enrolment_id, "edit")
    name = ENROLMENT_STEPS[step]
    form = StepForm(request.POST or None, step=name, initial={"version": enrolment.version})

    def done(saved: Enrolment) -> HttpResponse:
        messages.success(request, _("„%(step)s“ ist eingetragen.") % {"step": services.STEP_LABELS[name]})
        return redirect("schooling:child_detail", enrolment.child_id)

    return form_page(
        request,
        form,
        show=page(
            request,
            "schooling/enrolment_step.html",
            enrolment=enrolment,
            step_label=services.STEP_LABELS[name],
        ),
        save=lambda: services.enrolment_step(
            actor=request.user,
            enrolment=enrolment,
            step=name,
            on=form.cleaned_data["on"],
            assessment=form.cleaned_data.get("assessment", ""),
            class_name=form.cleaned_data.get("class_name", ""),
            language_class=form.cleaned_data.get("language_class", False),
            expected_version=version_of(form),
        ),
        done=done,
        current=lambda: selectors.get_enrolment_for(request.user, enrolment_id),
    )


@login_required
def enrolment_end(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = selectors.get_enrolment_for(request.user, enrolment_id, "edit")
    form = EndForm(request.POST or None, initial={"version": enrolment.version})
    return form_page(
        request,
        form,
        show=page(request, "schooling/enrolment_end.html", enrolment=enrolment),
        save=lambda: services.enrolment_end(
            actor=request.user,
            enrolment=enrolment,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["end_reason"],
            expected_version=version_of(form),
        ),
        done=lambda _saved: redirect("schooling:child_detail", enrolment.child_id),
        current=lambda: selectors.get_enrolment_for(request.user, enrolment_id),
    )


# --- missed-schooling reports ----------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", ListedChild)
    today = timezone.localdate()
    show_all = request.GET.get("stand") == "alle"
    rows = selectors.reports_for(request.user) if show_all else selectors.open_reports_for(request.user)
    shown = paginate(request, rows)
    return render(
        request,
        "schooling/report_list.html",
        {
            "page": shown,
            "states": [selectors.report_state(r, today) for r in shown.object_list],
            "show_all": show_all,
        },
    )


@login_required
def report_create(request: HttpRequest, child_id: int) -> HttpResponse:
    child = selectors.get_child_for(request.user, child_id, "edit")
    schools = (
        selectors.schools_for(request.user).filter(unit_id=child.unit_id).exclude(kind=School.Kind.DAY_CARE)
    )
    form = ReportForm(request.POST or None, schools=schools)
    return form_page(
        request,
        form,
        show=page(request, "schooling/report_create.html", child=child),
        save=lambda: services.report_create(actor=request.user, child=child, **form.cleaned_data),
        done=lambda report: redirect("schooling:report_detail", report.pk),
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, report_id)
    state = selectors.report_state(report, timezone.localdate())
    return render(
        request,
        "schooling/report_detail.html",
        {
            "state": state,
            "report": report,
            "writer": access.can(request.user, "edit", report.child),
            "step_slugs": REPORT_SLUGS,
        },
    )


@login_required
def report_step(request: HttpRequest, report_id: int, step: str) -> HttpResponse:
    if step not in REPORT_STEPS:
        raise Http404
    report = selectors.get_report_for(request.user, report_id, "edit")
    name = REPORT_STEPS[step]
    units = selectors.outreach_units_queryset()
    form = ReportStepForm(request.POST or None, step=name, units=units, initial={"version": report.version})
    return form_page(
        request,
        form,
        show=page(
            request,
            "schooling/report_step.html",
            report=report,
            step_label=services.REPORT_STEP_LABELS[name],
            due_on=selectors.report_state(report, timezone.localdate()).next,
        ),
        save=lambda: services.report_step(
            actor=request.user,
            report=report,
            step=name,
            on=form.cleaned_data["on"],
            outreach_unit=form.cleaned_data.get("outreach_unit"),
            legal_basis=form.cleaned_data.get("legal_basis", ""),
            expected_version=version_of(form),
        ),
        done=lambda _saved: redirect("schooling:report_detail", report.pk),
        current=lambda: selectors.get_report_for(request.user, report_id),
    )


@login_required
def report_close(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report_for(request.user, report_id, "edit")
    form = ReportCloseForm(request.POST or None, initial={"version": report.version})
    return form_page(
        request,
        form,
        show=page(request, "schooling/report_close.html", report=report),
        save=lambda: services.report_close(
            actor=request.user,
            report=report,
            outcome=form.cleaned_data["outcome"],
            on=form.cleaned_data["on"],
            expected_version=version_of(form),
        ),
        done=lambda _saved: redirect("schooling:report_detail", report.pk),
        current=lambda: selectors.get_report_for(request.user, report_id),
    )


# --- schools -------------------------------------------------------------------------------


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", School)
    return render(
        request,
        "schooling/school_list.html",
        {
            "page": paginate(request, selectors.schools_for(request.user)),
            "can_add": access.can(request.user, "create", School),
        },
    )


@login_required
def school_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "create", School)
    unit = selectors.school_team_of(request.user)
    assert unit is not None  # required: 404 otherwise
    form = SchoolForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(request, "schooling/school_form.html", school=None),
        save=lambda: services.school_create(actor=request.user, unit=unit, data=form.cleaned_data),
        done=lambda _school: redirect("schooling:school_list"),
    )


@login_required
def school_edit(request: HttpRequest, school_id: int) -> HttpResponse:
    school = selectors.get_school_for(request.user, school_id)
    access.require(request.user, "edit", school)
    form = SchoolForm(request.POST or None, school=school)
    return form_page(
        request,
        form,
        show=page(request, "schooling/school_form.html", school=school),
        save=lambda: services.school_update(
            actor=request.user, school=school, data=form.cleaned_data, expected_version=version_of(form)
        ),
        done=lambda _school: redirect("schooling:school_list"),
        current=lambda: selectors.get_school_for(request.user, school_id),
    )


# --- figures ---------------------------------------------------------------------------------


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "figures", ListedChild)
    today = timezone.localdate()
    unit = selectors.school_team_of(request.user, required=False)
    form = TargetForm(request.POST or None, initial={"target_days": selectors.target_of(unit)})

    def save() -> Any:
        if unit is None:
            raise Http404
        return services.team_settings_set(actor=request.user, unit=unit, data=form.cleaned_data)

    def done(_saved: Any) -> HttpResponse:
        messages.success(request, _("Das Ziel ist gespeichert."))
        return redirect("schooling:figures")

    return form_page(
        request,
        form,
        show=page(
            request,
            "schooling/figures.html",
            figures=selectors.figures_for(request.user, today),
            can_set=unit is not None,
        ),
        save=save,
        done=done,
    )


# --- letters -------------------------------------------------------------------------------


@login_required
def letter(request: HttpRequest, child_id: int, letter: str, language: str) -> HttpResponse:
    child = selectors.get_child_for(request.user, child_id)
    if letter not in letters.LETTERS or language not in letters.LANGUAGES:
        raise Http404
    reports = selectors.reports_of(child)
    if letter == "verfahren" and not reports:
        raise Http404
    content = letters.letter_pdf(
        child=child,
        parents=selectors.parents_of(request.user, child),
        letter=letter,
        language=language,
        today=timezone.localdate(),
        sender=request.user,
        report=reports[0] if reports else None,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brief-{letter}-{language}.pdf"'
    return response
