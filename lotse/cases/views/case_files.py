"""Case file pages: the work list, opening a case, and the case file as one page with tabs.

Each tab is a link (``?tab=kontakte``) that works without JavaScript; with htmx the link
swaps only the tab panel. Forms inside the tabs post to their own views, which answer htmx
with the refreshed panel and everyone else with a redirect back to the tab.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotse.accounts.models import Unit, User
from lotse.cases.forms import (
    AssignForm,
    CaseEditForm,
    CaseOpenForm,
    CaseStatusForm,
    CaseTransferForm,
    ContactForm,
    FollowUpForm,
    GoalForm,
)
from lotse.cases.models import CaseFile
from lotse.cases.selectors import case_files as selectors
from lotse.cases.selectors import followups as followup_selectors
from lotse.cases.selectors import persons as person_selectors
from lotse.cases.selectors.referrals import get_referral_for
from lotse.cases.services import case_files as services
from lotse.core import access
from lotse.core.pages import form_page, is_htmx, page, paginate, version_of
from lotse.people.models import Person

CONTACTS_PAGE_SIZE = 30

# (slug in the URL, label). The order is the order of the tabs.
TABS: list[tuple[str, Any]] = [
    ("ueberblick", gettext_lazy("Überblick")),
    ("kontakte", gettext_lazy("Kontakte")),
    ("einschaetzung", gettext_lazy("Einschätzung")),
    ("hilfeplan", gettext_lazy("Hilfeplan")),
    ("wiedervorlagen", gettext_lazy("Wiedervorlagen")),
    ("dokumente", gettext_lazy("Dokumente")),
    ("verweisungen", gettext_lazy("Verweisungen")),
]
TAB_SLUGS = {slug for slug, _label in TABS}


def tab_url(case: CaseFile, tab: str) -> str:
    return reverse("cases:case_detail", args=[case.pk]) + f"?tab={tab}"


# --- list and opening ------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases of the user's units (and those shared with them by a referral)."""
    access.require(request.user, "list", CaseFile)
    status = request.GET.get("stand", "")
    query = request.GET.get("q", "").strip()
    context = {
        "page": paginate(request, selectors.case_list(request.user, status=status, query=query)),
        "status": status if status in CaseFile.Status.values else "",
        "query": query,
        "statuses": CaseFile.Status.choices,
        "can_open": access.can(request.user, "casework", Unit),
    }
    template = "cases/partials/case_rows.html" if is_htmx(request) else "cases/case_list.html"
    return render(request, template, context)


def _subject_id(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name) or request.POST.get(name)
    return int(value) if value and value.isdigit() else None


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case for a person or household; without one, find the person first."""
    access.require(request.user, "casework", Unit)
    units = selectors.casework_units(request.user)
    person = household = referral = None
    if (person_id := _subject_id(request, "person")) is not None:
        person = person_selectors.get_person_for_casework(request.user, person_id)
    elif (household_id := _subject_id(request, "haushalt")) is not None:
        household = person_selectors.get_household_for_casework(request.user, household_id)
    else:
        return _choose_subject(request)
    if (referral_id := _subject_id(request, "verweisung")) is not None:
        referral = get_referral_for(request.user, referral_id)
    initial: dict[str, Any] = {}
    if referral is not None and referral.to_unit_id in {u.pk for u in units}:
        initial["owner_unit"] = referral.to_unit_id
    form = CaseOpenForm(request.POST or None, units=units, initial=initial)

    def save() -> CaseFile:
        owner_unit = form.cleaned_data["owner_unit"]
        return services.case_file_open(
            actor=request.user,
            owner_unit=owner_unit,
            person=person,
            household=household,
            title=form.cleaned_data["title"],
            worker_preference=form.cleaned_data["worker_preference"],
            opened_on=form.cleaned_data["opened_on"],
            referral=referral if referral and referral.to_unit_id == owner_unit.pk else None,
        )

    def done(case: CaseFile) -> HttpResponse:
        messages.success(request, _("Die Fallakte „%(title)s“ ist angelegt.") % {"title": case.title})
        return redirect("cases:case_detail", case.pk)

    def show(form: CaseOpenForm, **extra: Any) -> HttpResponse:
        context = {
            "form": form,
            "person": person,
            "household": household,
            "referral": referral,
            # The open case file to go to instead, when the unit already has one.
            "duplicate": next(
                (e.params for e in form.non_field_errors().as_data() if e.code == "duplicate_case"), None
            ),
        }
        return render(request, "cases/case_form.html", context)

    return form_page(request, form, show=show, save=save, done=done)


def _choose_subject(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    persons = paginate(request, selectors.persons_to_open_for(request.user, query))
    context = {
        "page": persons,
        "query": query,
        # A first contact without a referral: whoever enters persons records them first.
        "can_enter_person": access.can(request.user, "create", Person),
    }
    return render(request, "cases/case_choose_person.html", context)


# --- the case file page --------------------------------------------------------------------


def _tab_context(request: HttpRequest, case: CaseFile, tab: str, **extra: Any) -> dict[str, Any]:
    """What the active tab shows. Each tab reads only what it needs."""
    user = request.user
    can_edit = access.can(user, "edit", case)
    writable = can_edit and case.status != CaseFile.Status.CLOSED
    context: dict[str, Any] = {
        "case": case,
        "tab": tab,
        "tabs": TABS,
        "can_edit": can_edit,
        "writable": writable,
        "today": timezone.localdate(),
    }
    if tab == "ueberblick":
        context |= dict(
            members=selectors.members_of(user, case),
            history=selectors.status_history(user, case),
            assignments=selectors.assignments_of(case),
            open_followups=list(followup_selectors.followups_of_case(user, case)),
        )
    elif tab == "kontakte":
        contacts = paginate(request, selectors.contacts_of(user, case), CONTACTS_PAGE_SIZE)
        context |= dict(page=contacts, contacts=contacts.object_list)
        if writable:
            context.setdefault("contact_form", extra.pop("contact_form", None) or ContactForm())
    elif tab == "einschaetzung":
        assessments = selectors.assessments_of(user, case)
        context |= dict(assessments=assessments, rows=selectors.assessment_table(assessments))
    elif tab == "hilfeplan":
        goals = selectors.goals_of(user, case)
        today = context["today"]
        for goal in goals:
            for measure in goal.measures.all():
                measure.overdue = selectors.is_overdue(measure, today)  # type: ignore[attr-defined]
        context |= dict(goals=goals)
        if writable:
            context.setdefault("goal_form", extra.pop("goal_form", None) or GoalForm())
    elif tab == "wiedervorlagen":
        context |= dict(followups=list(followup_selectors.followups_of_case(user, case, include_done=True)))
        if can_edit:
            members = selectors.unit_members(case.owner_unit_id)
            context.setdefault(
                "followup_form", extra.pop("followup_form", None) or FollowUpForm(members=members)
            )
    elif tab == "dokumente":
        from lotse.cases.forms import DocumentForm
        from lotse.cases.selectors import documents

        context |= dict(
            documents=documents.documents_of_case(user, case),
            document_form=DocumentForm(),
            can_edit_case=can_edit,
        )
    elif tab == "verweisungen":
        context |= dict(referrals=selectors.referrals_of_case(user, case))
        if writable:  # a referral is about one person; the case goes along if chosen
            context["refer_persons"] = selectors.members_of(user, case)
    context |= extra
    return context


def render_tab(request: HttpRequest, case: CaseFile, tab: str, **extra: Any) -> HttpResponse:
    """The whole page, or (htmx) only the tabs with the active panel."""
    context = _tab_context(request, case, tab, **extra)
    if is_htmx(request):
        context["focus_tab"] = request.method == "GET"
        return render(request, "cases/partials/case_tabs.html", context)
    return render(request, "cases/case_detail.html", context)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id)
    tab = request.GET.get("tab", "ueberblick")
    if tab not in TAB_SLUGS:
        tab = "ueberblick"
    return render_tab(request, case, tab)


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    form = CaseEditForm(
        request.POST or None,
        initial={"title": case.title, "worker_preference": case.worker_preference, "version": case.version},
    )

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Angaben zur Fallakte sind gespeichert."))
        return redirect("cases:case_detail", case.pk)

    return form_page(
        request,
        form,
        show=page(request, "cases/case_edit.html", case=case),
        save=lambda: services.case_file_update(
            actor=request.user,
            case=case,
            data={name: form.cleaned_data[name] for name in ("title", "worker_preference")},
            expected_version=version_of(form),
        ),
        done=done,
        current=lambda: selectors.get_case_for(request.user, case_id),
    )


@login_required
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    form = CaseStatusForm(request.POST or None, case=case, initial={"version": case.version})

    def done(_result: Any) -> HttpResponse:
        case.refresh_from_db()
        messages.success(
            request, _("Die Fallakte ist jetzt „%(status)s“.") % {"status": case.get_status_display()}
        )
        return redirect("cases:case_detail", case.pk)

    return form_page(
        request,
        form,
        show=page(request, "cases/case_status.html", case=case),
        save=lambda: services.case_file_set_status(
            actor=request.user,
            case=case,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            expected_version=version_of(form),
        ),
        done=done,
    )


@login_required
def case_transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    targets = selectors.transfer_targets(case)
    form = CaseTransferForm(request.POST or None, units=selectors.units_among(targets))

    def done(_result: Any) -> HttpResponse:
        messages.success(
            request,
            _("Die Fallakte liegt jetzt bei „%(unit)s“.") % {"unit": form.cleaned_data["to_unit"].name},
        )
        if access.can(request.user, "view", case):
            return redirect("cases:case_detail", case.pk)
        return redirect("cases:case_list")

    return form_page(
        request,
        form,
        show=page(request, "cases/case_transfer.html", case=case, targets=targets),
        save=lambda: services.case_file_transfer(
            actor=request.user,
            case=case,
            to_unit=form.cleaned_data["to_unit"],
            reason=form.cleaned_data["reason"],
        ),
        done=done,
    )


@login_required
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    form = AssignForm(request.POST or None, case=case, workers=selectors.assignable_workers(case))

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("%(user)s ist zugewiesen.") % {"user": form.cleaned_data["user"]})
        return redirect("cases:case_detail", case.pk)

    def show(form: AssignForm, **extra: Any) -> HttpResponse:
        mismatch = "confirm_preference_mismatch" in form.errors or bool(
            form.data.get("confirm_preference_mismatch")
        )
        context = {
            "case": case,
            "form": form,
            "assignments": selectors.assignments_of(case),
            "show_confirm": mismatch,
        }
        return render(request, "cases/case_assign.html", context)

    return form_page(
        request,
        form,
        show=show,
        save=lambda: services.case_assign(
            actor=request.user,
            case=case,
            user=cast(User, form.cleaned_data["user"]),
            lead=form.cleaned_data["lead"],
            confirm_preference_mismatch=form.cleaned_data["confirm_preference_mismatch"],
        ),
        done=done,
    )


@login_required
@require_POST
def case_unassign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.user, assignment_id)
    case = assignment.case

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Zuweisung von %(user)s ist beendet.") % {"user": assignment.user})
        return redirect("cases:case_assign", case.pk)

    return form_page(
        request,
        Form(request.POST),
        show=lambda form, **extra: redirect("cases:case_assign", case.pk),
        save=lambda: services.case_unassign(actor=request.user, assignment=assignment),
        done=done,
    )
