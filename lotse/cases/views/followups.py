"""Follow-ups (Wiedervorlagen): „Meine Aufgaben“, the unit's task list, one follow-up, and
adding one to a case in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases.forms import FollowUpForm
from lotse.cases.models import FollowUp
from lotse.cases.selectors import case_files as case_selectors
from lotse.cases.selectors import followups as selectors
from lotse.cases.services import followups as services
from lotse.cases.views.case_files import render_tab, tab_url
from lotse.core import access
from lotse.core.pages import form_page, is_htmx, page, paginate, version_of

PAGE_SIZE = 50


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _mark_rows(request: HttpRequest, followups: Any) -> None:
    """Which rows get the „erledigt“ button (no queries: memberships are loaded once)."""
    for followup in followups:
        followup.editable = access.can(request.user, "edit", followup)


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    """„Meine Aufgaben“: what is assigned to me, overdue first."""
    access.require(request.user, "list", FollowUp)
    done = request.GET.get("erledigt") == "1"
    tasks = paginate(request, selectors.my_followups(request.user, done=done), PAGE_SIZE)
    _mark_rows(request, tasks)
    selectors.name_subjects(request.user, tasks)
    return render(
        request,
        "cases/task_list.html",
        {
            "page": tasks,
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
    access.require(request.user, "list", FollowUp)
    unit_param = request.GET.get("einheit", "")
    unit_id = int(unit_param) if unit_param.isdigit() else None
    unassigned = request.GET.get("offen") == "1"
    units = list(selectors.task_units(request.user))
    if unit_id is not None and unit_id not in {u.pk for u in units}:
        raise Http404
    followups = selectors.unit_followups(request.user, unit_id=unit_id, unassigned=unassigned)
    tasks = paginate(request, followups, PAGE_SIZE)
    _mark_rows(request, tasks)
    selectors.name_subjects(request.user, tasks)
    return render(
        request,
        "cases/task_list.html",
        {
            "page": tasks,
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
    selectors.name_subjects(request.user, [followup])
    can_edit = access.can(request.user, "edit", followup)
    show = page(
        request,
        "cases/followup_detail.html",
        followup=followup,
        can_edit=can_edit,
        today=timezone.localdate(),
        next=_next_url(request, ""),
    )
    if not can_edit:
        if request.method == "POST":
            raise Http404
        return show()
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

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Wiedervorlage ist gespeichert."))
        return redirect(_next_url(request, reverse("cases:my_tasks")))

    return form_page(
        request,
        form,
        show=show,
        save=lambda: services.followup_update(
            actor=request.user,
            followup=followup,
            data={name: value for name, value in form.cleaned_data.items() if name != "version"},
            expected_version=version_of(form),
        ),
        done=done,
        current=lambda: selectors.get_followup_for(request.user, followup_id),
    )


def _toggle(request: HttpRequest, followup_id: int, *, done: bool) -> HttpResponse:
    followup = selectors.get_followup_for(request.user, followup_id, edit=True)

    def answer(followup: FollowUp) -> HttpResponse:
        if is_htmx(request):
            selectors.name_subjects(request.user, [followup])
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

    service = services.followup_complete if done else services.followup_reopen
    return form_page(
        request,
        Form(request.POST),
        show=lambda form, **extra: answer(followup),
        save=lambda: service(actor=request.user, followup=followup),
        done=answer,
    )


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
    case = case_selectors.get_case_for(request.user, case_id, edit=True)
    form = FollowUpForm(request.POST, members=case_selectors.unit_members(case.owner_unit_id))

    def done(followup: FollowUp) -> HttpResponse:
        if is_htmx(request):
            return render_tab(request, case, "wiedervorlagen", new_followup_id=followup.pk)
        messages.success(request, _("Die Wiedervorlage ist angelegt."))
        return redirect(tab_url(case, "wiedervorlagen"))

    return form_page(
        request,
        form,
        show=lambda form, **extra: render_tab(request, case, "wiedervorlagen", followup_form=form),
        save=lambda: services.followup_create(
            actor=request.user,
            unit=case.owner_unit,
            case=case,
            title=form.cleaned_data["title"],
            due_on=form.cleaned_data["due_on"],
            assigned_to=form.cleaned_data["assigned_to"],
            note=form.cleaned_data["note"],
        ),
        done=done,
    )
