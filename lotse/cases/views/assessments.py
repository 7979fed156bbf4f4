"""Family assessment (Familiensituationsanalyse): a new assessment of the eight domains."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from lotse.cases.forms import AssessmentForm
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import assessments as services
from lotse.cases.views.case_files import tab_url
from lotse.core.pages import form_page, page


@login_required
def assessment_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    assessments = selectors.assessments_of(request.user, case)
    last = assessments[-1] if assessments else None
    previous = {rating.domain: rating.level for rating in last.ratings.all()} if last else {}
    form = AssessmentForm(request.POST or None, previous=previous)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Einschätzung ist gespeichert."))
        return redirect(tab_url(case, "einschaetzung"))

    return form_page(
        request,
        form,
        show=page(request, "cases/assessment_form.html", case=case, last=last),
        save=lambda: services.assessment_create(
            actor=request.user,
            case=case,
            assessed_on=form.cleaned_data["assessed_on"],
            ratings=form.ratings(),
            note=form.cleaned_data["note"],
        ),
        done=done,
    )
