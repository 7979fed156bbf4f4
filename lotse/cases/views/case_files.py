"""Case file pages: the work list, opening a case, and the case file as one page with tabs.

Each tab is a link (``?tab=kontakte``) that works without JavaScript; with htmx the link
swaps only the tab panel. Forms inside the tabs post to their own views, which answer htmx
with the refreshed panel and everyone else with a redirect back to the tab.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotse.accounts.models import Unit, User
from lotse.cases import access
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
from lotse.core.services import StaleVersion

PAGE_SIZE = 25
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


# --- helpers shared by the case work views ---------------------------------------------------


def htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def apply_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the named field, else on the form."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def stale_values(form: Form, current: Any) -> list[tuple[str, str]]:
    """The stored values beside a refused edit (someone saved in between), field by field."""
    if current is None:
        return []
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        display = getattr(current, f"get_{name}_display", None)
        value = display() if display else getattr(current, name, "")
        if isinstance(value, dt.date):
            value = date_format(value, "d.m.Y")
        rows.append((str(field.label), "" if value is None else str(value)))
    return rows


def tab_url(case: CaseFile, tab: str) -> str:
    return reverse("cases:case_detail", args=[case.pk]) + f"?tab={tab}"


def expected_version(form: Form) -> int | None:
    value = form.cleaned_data.get("version")
    return int(value) if value is not None else None


def edit_units(user: Any) -> QuerySet[Unit]:
    """Units in which the user opens and writes case files."""
    return selectors.units_by_ids(access.case_edit_unit_ids(user))


def unit_choices(unit_ids: set[int]) -> QuerySet[Unit]:
    return selectors.units_by_ids(unit_ids)


# --- list and opening ------------------------------------------------------------------------


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases of the user's units (and those shared with them by a referral)."""
    if not access.case_unit_ids(request.user) and not access.receiving_unit_ids(request.user):
        raise Http404
    status = request.GET.get("stand", "")
    query = request.GET.get("q", "").strip()
    cases = selectors.case_list(request.user, status=status, query=query)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {
        "page": page,
        "status": status if status in CaseFile.Status.values else "",
        "query": query,
        "statuses": CaseFile.Status.choices,
        "can_open": bool(access.case_edit_unit_ids(request.user)),
    }
    template = "cases/partials/case_rows.html" if htmx(request) else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case for a person or household; without one, find the person first."""
    units = edit_units(request.user)
    if not units:
        raise Http404
    person = household = referral = None
    person_id = request.GET.get("person") or request.POST.get("person")
    household_id = request.GET.get("haushalt") or request.POST.get("haushalt")
    referral_id = request.GET.get("verweisung") or request.POST.get("verweisung")
    if person_id and person_id.isdigit():
        person = person_selectors.get_person_for_casework(request.user, int(person_id), record_read=False)
    elif household_id and household_id.isdigit():
        household = person_selectors.get_household_for_casework(
            request.user, int(household_id), record_read=False
        )
    else:
        return _choose_subject(request)
    if referral_id and referral_id.isdigit():
        referral = get_referral_for(request.user, int(referral_id), record_read=False)
    initial: dict[str, Any] = {}
    if referral is not None and referral.to_unit_id in {u.pk for u in units}:
        initial["owner_unit"] = referral.to_unit_id
    form = CaseOpenForm(request.POST or None, units=units, initial=initial)
    duplicate: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_file_open(
                actor=request.user,
                owner_unit=form.cleaned_data["owner_unit"],
                person=person,
                household=household,
                title=form.cleaned_data["title"],
                worker_preference=form.cleaned_data["worker_preference"],
                opened_on=form.cleaned_data["opened_on"],
                referral=referral
                if referral and referral.to_unit_id == form.cleaned_data["owner_unit"].pk
                else None,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "duplicate_case":
                duplicate = error.params
            apply_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Die Fallakte „%(title)s“ ist angelegt.") % {"title": case.title})
            return redirect("cases:case_detail", case.pk)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "person": person,
            "household": household,
            "referral": referral,
            "duplicate": duplicate,
        },
        status=400 if request.method == "POST" else 200,
    )


def _choose_subject(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    persons = selectors.persons_to_open_for(request.user, query)
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "cases/case_choose_person.html", {"page": page, "query": query})


# --- the case file page --------------------------------------------------------------------


def _tab_context(request: HttpRequest, case: CaseFile, tab: str, **extra: Any) -> dict[str, Any]:
    """What the active tab shows. Each tab reads only what it needs."""
    user = request.user
    can_edit = access.can_edit_case(user, case)
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
            history=selectors.status_history(case),
            assignments=selectors.assignments_of(case),
            open_followups=list(followup_selectors.followups_of_case(user, case)),
        )
    elif tab == "kontakte":
        page = Paginator(selectors.contacts_of(user, case), CONTACTS_PAGE_SIZE).get_page(
            request.GET.get("seite")
        )
        context |= dict(page=page, contacts=page.object_list)
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


def render_tab(
    request: HttpRequest, case: CaseFile, tab: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The whole page, or (htmx) only the tabs with the active panel."""
    context = _tab_context(request, case, tab, **extra)
    if htmx(request):
        context["focus_tab"] = request.method == "GET"
        # htmx swaps only 2xx answers: a form with errors comes back as 200 and shows them.
        return render(request, "cases/partials/case_tabs.html", context)
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id)
    tab = request.GET.get("tab", "ueberblick")
    if tab not in TAB_SLUGS:
        tab = "ueberblick"
    return render_tab(request, case, tab)


def _stale(request: HttpRequest, form: Form, error: StaleVersion, current: Any) -> None:
    form.add_error(None, error.messages)
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(current.version)
    form.data = data


@login_required
def case_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=request.method == "GET")
    form = CaseEditForm(
        request.POST or None,
        initial={"title": case.title, "worker_preference": case.worker_preference, "version": case.version},
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.case_file_update(
                actor=request.user,
                case=case,
                data={
                    "title": form.cleaned_data["title"],
                    "worker_preference": form.cleaned_data["worker_preference"],
                },
                expected_version=expected_version(form),
            )
        except StaleVersion as error:
            current = selectors.get_case_for(request.user, case_id, record_read=False)
            _stale(request, form, error, current)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Die Angaben zur Fallakte sind gespeichert."))
            return redirect("cases:case_detail", case.pk)
    return render(
        request,
        "cases/case_edit.html",
        {"case": case, "form": form, "current": current, "stale_values": stale_values(form, current)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def case_status(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=request.method == "GET")
    form = CaseStatusForm(request.POST or None, case=case, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_file_set_status(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                expected_version=expected_version(form),
            )
        except StaleVersion as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            case.refresh_from_db()
            messages.success(
                request, _("Die Fallakte ist jetzt „%(status)s“.") % {"status": case.get_status_display()}
            )
            return redirect("cases:case_detail", case.pk)
    return render(
        request,
        "cases/case_status.html",
        {"case": case, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def case_transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=request.method == "GET")
    targets = selectors.transfer_targets(case)
    form = CaseTransferForm(request.POST or None, units=unit_choices({u.pk for u in targets}))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_file_transfer(
                actor=request.user,
                case=case,
                to_unit=form.cleaned_data["to_unit"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Die Fallakte liegt jetzt bei „%(unit)s“.") % {"unit": form.cleaned_data["to_unit"].name},
            )
            if access.can_view_case(request.user, case):
                return redirect("cases:case_detail", case.pk)
            return redirect("cases:case_list")
    return render(
        request,
        "cases/case_transfer.html",
        {"case": case, "form": form, "targets": targets},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=request.method == "GET")
    workers = selectors.assignable_workers(case)
    form = AssignForm(request.POST or None, case=case, workers=workers)
    mismatch = False
    if request.method == "POST" and form.is_valid():
        try:
            services.case_assign(
                actor=request.user,
                case=case,
                user=cast(User, form.cleaned_data["user"]),
                lead=form.cleaned_data["lead"],
                confirm_preference_mismatch=form.cleaned_data["confirm_preference_mismatch"],
            )
        except ValidationError as error:
            mismatch = getattr(
                error, "code", None
            ) == "preference_mismatch" or "confirm_preference_mismatch" in getattr(error, "error_dict", {})
            apply_errors(form, error)
        else:
            messages.success(request, _("%(user)s ist zugewiesen.") % {"user": form.cleaned_data["user"]})
            return redirect("cases:case_detail", case.pk)
    return render(
        request,
        "cases/case_assign.html",
        {
            "case": case,
            "form": form,
            "assignments": selectors.assignments_of(case),
            "show_confirm": mismatch or bool(form.data.get("confirm_preference_mismatch")),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def case_unassign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.get_assignment_for(request.user, assignment_id)
    case = assignment.case
    try:
        services.case_unassign(actor=request.user, assignment=assignment)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Die Zuweisung von %(user)s ist beendet.") % {"user": assignment.user})
    return redirect("cases:case_assign", case.pk)
