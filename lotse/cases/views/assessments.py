"""Family assessment (Familiensituationsanalyse): a new assessment of the eight domains."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lotse.cases.forms import AssessmentForm
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import assessments as services
from lotse.cases.views.case_files import apply_errors, tab_url


@login_required
def assessment_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=request.method == "GET")
    assessments = selectors.assessments_of(request.user, case)
    previous = (
        {rating.domain: rating.level for rating in assessments[-1].ratings.all()} if assessments else {}
    )
    form = AssessmentForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_create(
                actor=request.user,
                case=case,
                assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Die Einschätzung ist gespeichert."))
            return redirect(tab_url(case, "einschaetzung"))
    return render(
        request,
        "cases/assessment_form.html",
        {"case": case, "form": form, "last": assessments[-1] if assessments else None},
        status=400 if request.method == "POST" else 200,
    )
