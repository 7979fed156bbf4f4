"""The support plan (Hilfeplan): goals and their measures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases.forms import GoalForm, MeasureForm
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import support_plans as services
from lotse.cases.views.case_files import render_tab, tab_url
from lotse.core.pages import error_text, form_page, page, version_of


def _data(form: Form) -> dict[str, Any]:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


def _back_to_plan(request: HttpRequest, case: Any, message: str) -> Any:
    def done(_result: Any) -> HttpResponse:
        messages.success(request, message)
        return redirect(tab_url(case, "hilfeplan"))

    return done


@login_required
@require_POST
def goal_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    form = GoalForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form, **extra: render_tab(request, case, "hilfeplan", goal_form=form),
        save=lambda: services.goal_create(actor=request.user, case=case, **_data(form)),
        done=_back_to_plan(request, case, _("Das Ziel ist in den Hilfeplan aufgenommen.")),
    )


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
    return form_page(
        request,
        form,
        show=page(request, "cases/goal_edit.html", case=goal.case, goal=goal),
        save=lambda: services.goal_update(
            actor=request.user, goal=goal, data=_data(form), expected_version=version_of(form)
        ),
        done=_back_to_plan(request, goal.case, _("Das Ziel ist gespeichert.")),
        current=lambda: selectors.get_goal_for(request.user, goal_id),
    )


@login_required
def measure_create(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = selectors.get_goal_for(request.user, goal_id, edit=True)
    form = MeasureForm(request.POST or None, workers=selectors.case_workers_of(goal.case))
    return form_page(
        request,
        form,
        show=page(request, "cases/measure_form.html", case=goal.case, goal=goal),
        save=lambda: services.measure_create(actor=request.user, goal=goal, **_data(form)),
        done=_back_to_plan(request, goal.case, _("Die Maßnahme ist eingetragen.")),
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
    return form_page(
        request,
        form,
        show=page(request, "cases/measure_form.html", case=goal.case, goal=goal, measure=measure),
        save=lambda: services.measure_update(
            actor=request.user, measure=measure, data=_data(form), expected_version=version_of(form)
        ),
        done=_back_to_plan(request, goal.case, _("Die Maßnahme ist gespeichert.")),
        current=lambda: selectors.get_measure_for(request.user, measure_id),
    )


@login_required
@require_POST
def measure_done(request: HttpRequest, measure_id: int) -> HttpResponse:
    """One click from the plan: the measure is done."""
    measure = selectors.get_measure_for(request.user, measure_id, edit=True)
    case = measure.goal.case
    return form_page(
        request,
        Form(request.POST),
        show=lambda form, **extra: _plan_with_error(request, case, form),
        save=lambda: services.measure_update(actor=request.user, measure=measure, data={"status": "done"}),
        done=lambda _result: redirect(tab_url(case, "hilfeplan")),
    )


def _plan_with_error(request: HttpRequest, case: Any, form: Form) -> HttpResponse:
    messages.error(request, error_text(form))
    return redirect(tab_url(case, "hilfeplan"))
