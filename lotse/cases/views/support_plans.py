"""The support plan (Hilfeplan): goals and their measures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases.forms import GoalForm, MeasureForm
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import support_plans as services
from lotse.cases.views.case_files import (
    apply_errors,
    expected_version,
    render_tab,
    stale_values,
    tab_url,
)
from lotse.core.services import StaleVersion


def _stale(form: Form, error: StaleVersion, version: int) -> None:
    form.add_error(None, error.messages)
    data = form.data.copy()  # type: ignore[attr-defined]
    data["version"] = str(version)
    form.data = data


def _data(form: Form) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


@login_required
@require_POST
def goal_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=False)
    form = GoalForm(request.POST)
    if form.is_valid():
        try:
            services.goal_create(actor=request.user, case=case, **_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Das Ziel ist in den Hilfeplan aufgenommen."))
            return redirect(tab_url(case, "hilfeplan"))
    return render_tab(request, case, "hilfeplan", goal_form=form, status=400)


@login_required
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.get_goal_for(request.user, goal_id, edit=True)
    initial = {
        "title": goal.title,
        "domain": goal.domain,
        "agreed_on": goal.agreed_on,
        "status": goal.status,
        "version": goal.version,
    }
    form = GoalForm(request.POST or None, initial=initial, editing=True)
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                actor=request.user, goal=goal, data=_data(form), expected_version=expected_version(form)
            )
        except StaleVersion as error:
            current = selectors.get_goal_for(request.user, goal_id)
            _stale(form, error, current.version)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Das Ziel ist gespeichert."))
            return redirect(tab_url(goal.case, "hilfeplan"))
    return render(
        request,
        "cases/goal_edit.html",
        {
            "case": goal.case,
            "goal": goal,
            "form": form,
            "current": current,
            "stale_values": stale_values(form, current),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def measure_create(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.get_goal_for(request.user, goal_id, edit=True)
    form = MeasureForm(request.POST or None, workers=selectors.case_workers_of(goal.case))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_create(actor=request.user, goal=goal, **_data(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Die Maßnahme ist eingetragen."))
            return redirect(tab_url(goal.case, "hilfeplan"))
    return render(
        request,
        "cases/measure_form.html",
        {"case": goal.case, "goal": goal, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def measure_edit(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, measure_id, edit=True)
    goal = measure.goal
    initial = {
        "title": measure.title,
        "responsible_user": measure.responsible_user_id,
        "responsible_other": measure.responsible_other,
        "due_date": measure.due_date,
        "status": measure.status,
        "version": measure.version,
    }
    form = MeasureForm(
        request.POST or None, initial=initial, workers=selectors.case_workers_of(goal.case), editing=True
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                actor=request.user, measure=measure, data=_data(form), expected_version=expected_version(form)
            )
        except StaleVersion as error:
            current = selectors.get_measure_for(request.user, measure_id)
            _stale(form, error, current.version)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Die Maßnahme ist gespeichert."))
            return redirect(tab_url(goal.case, "hilfeplan"))
    return render(
        request,
        "cases/measure_form.html",
        {
            "case": goal.case,
            "goal": goal,
            "measure": measure,
            "form": form,
            "current": current,
            "stale_values": stale_values(form, current),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def measure_done(request: HttpRequest, measure_id: int) -> HttpResponse:
    """One click from the plan: the measure is done."""
    measure = selectors.get_measure_for(request.user, measure_id, edit=True)
    try:
        services.measure_update(actor=request.user, measure=measure, data={"status": "done"})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(tab_url(measure.goal.case, "hilfeplan"))
