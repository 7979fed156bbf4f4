"""Follow-ups (Wiedervorlagen): „Meine Aufgaben“, the unit's task list, one follow-up, and
adding one to a case in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases import access
from lotse.cases.forms import FollowUpForm
from lotse.cases.selectors import case_files as case_selectors
from lotse.cases.selectors import followups as selectors
from lotse.cases.services import followups as services
from lotse.cases.views.case_files import (
    apply_errors,
    expected_version,
    htmx,
    render_tab,
    stale_values,
    tab_url,
)
from lotse.core.services import StaleVersion

PAGE_SIZE = 50


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _require_task_lists(request: HttpRequest) -> None:
    if not access.followup_unit_ids(request.user):
        raise Http404


def _mark_rows(request: HttpRequest, followups: Any) -> None:
    """Which rows get the „erledigt“ button (no queries: memberships are loaded once)."""
    for followup in followups:  # page.object_list, made a list by the caller
        followup.editable = selectors.can_edit(request.user, followup)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """„Meine Aufgaben“: what is assigned to me, overdue first."""
    _require_task_lists(request)
    done = request.GET.get("erledigt") == "1"
    page = Paginator(selectors.my_followups(request.user, done=done), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    page.object_list = list(page.object_list)
    _mark_rows(request, page.object_list)
    return render(
        request,
        "cases/task_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "overdue_count": 0 if done else selectors.overdue_count(selectors.my_followups(request.user)),
            "done": done,
            "mine": True,
            "next": request.get_full_path(),
        },
    )


@login_required
def unit_tasks(request: HttpRequest) -> HttpResponse:
    """The open follow-ups of my units (or one of them), overdue first."""
    _require_task_lists(request)
    unit_param = request.GET.get("einheit", "")
    unit_id = int(unit_param) if unit_param.isdigit() else None
    unassigned = request.GET.get("offen") == "1"
    units = list(case_selectors.units_by_ids(access.followup_unit_ids(request.user)))
    if unit_id is not None and unit_id not in {u.pk for u in units}:
        raise Http404
    followups = selectors.unit_followups(request.user, unit_id=unit_id, unassigned=unassigned)
    page = Paginator(followups, PAGE_SIZE).get_page(request.GET.get("seite"))
    page.object_list = list(page.object_list)
    _mark_rows(request, page.object_list)
    return render(
        request,
        "cases/task_list.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "overdue_count": selectors.overdue_count(followups),
            "mine": False,
            "units": units,
            "unit_id": unit_id,
            "unassigned": unassigned,
            "next": request.get_full_path(),
        },
    )


@login_required
def followup_detail(request: HttpRequest, followup_id: int) -> HttpResponse:
    """One follow-up: what it is about, and (for those who may) the form to change it."""
    followup = selectors.get_followup_for(request.user, followup_id)
    can_edit = selectors.can_edit(request.user, followup)
    form = None
    current = None
    if can_edit:
        initial = {
            "title": followup.title,
            "due_on": followup.due_on,
            "assigned_to": followup.assigned_to_id,
            "note": followup.note,
            "version": followup.version,
        }
        form = FollowUpForm(
            request.POST or None, initial=initial, members=case_selectors.unit_members(followup.unit_id)
        )
        if request.method == "POST" and form.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
            try:
                services.followup_update(
                    actor=request.user, followup=followup, data=data, expected_version=expected_version(form)
                )
            except StaleVersion as error:
                current = selectors.get_followup_for(request.user, followup_id)
                form.add_error(None, error.messages)
                post = form.data.copy()  # type: ignore[attr-defined]
                post["version"] = str(current.version)
                form.data = post
            except (ValidationError, PermissionDenied) as error:
                if isinstance(error, PermissionDenied):
                    raise Http404 from None
                apply_errors(form, error)
            else:
                messages.success(request, _("Die Wiedervorlage ist gespeichert."))
                return redirect(_next_url(request, reverse("cases:my_tasks")))
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "cases/followup_detail.html",
        {
            "followup": followup,
            "form": form,
            "current": current,
            "stale_values": stale_values(form, current) if form is not None else [],
            "can_edit": can_edit,
            "today": timezone.localdate(),
            "next": _next_url(request, ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def _toggle(request: HttpRequest, followup_id: int, *, done: bool) -> HttpResponse:
    followup = selectors.get_followup_for(request.user, followup_id, edit=True)
    try:
        if done:
            followup = services.followup_complete(actor=request.user, followup=followup)
        else:
            followup = services.followup_reopen(actor=request.user, followup=followup)
    except PermissionDenied:
        raise Http404 from None
    if htmx(request):
        return render(
            request,
            "cases/partials/followup_row.html",
            {
                "followup": followup,
                "today": timezone.localdate(),
                "can_edit": True,
                "show_case": request.POST.get("show_case") == "1",
                "next": _next_url(request, ""),
                "focus": True,
            },
        )
    if done:
        messages.success(request, _("„%(title)s“ ist erledigt.") % {"title": followup.title})
    return redirect(_next_url(request, reverse("cases:my_tasks")))


@login_required
@require_POST
def followup_complete(request: HttpRequest, followup_id: int) -> HttpResponse:
    return _toggle(request, followup_id, done=True)


@login_required
@require_POST
def followup_reopen(request: HttpRequest, followup_id: int) -> HttpResponse:
    return _toggle(request, followup_id, done=False)


@login_required
@require_POST
def case_followup_create(request: HttpRequest, case_id: int) -> HttpResponse:
    """A follow-up on the case, added in place on the „Wiedervorlagen“ tab."""
    case = case_selectors.get_case_for(request.user, case_id, edit=True, record_read=False)
    form = FollowUpForm(request.POST, members=case_selectors.unit_members(case.owner_unit_id))
    if form.is_valid():
        try:
            followup = services.followup_create(
                actor=request.user,
                unit=case.owner_unit,
                case=case,
                title=form.cleaned_data["title"],
                due_on=form.cleaned_data["due_on"],
                assigned_to=form.cleaned_data["assigned_to"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if htmx(request):
                return render_tab(request, case, "wiedervorlagen", new_followup_id=followup.pk)
            messages.success(request, _("Die Wiedervorlage ist angelegt."))
            return redirect(tab_url(case, "wiedervorlagen"))
    return render_tab(request, case, "wiedervorlagen", followup_form=form, status=400)
