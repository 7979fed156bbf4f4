"""Dashboards (per unit and for the office) and the council report as a download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lotse.accounts.models import Organisation, Unit
from lotse.core import access
from lotse.reports import exports, periods, selectors
from lotse.reports.forms import CouncilReportForm, PeriodForm

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = list(selectors.dashboard_units_for(request.user))
    office = selectors.office_organisation_for(request.user)
    details = selectors.detail_pages_for(request.user)
    if not units and office is None and not details:
        raise Http404
    return render(request, "reports/index.html", {"units": units, "office": office, "details": details})


def _dashboard(request: HttpRequest, title: str, organisation_id: int | None, build) -> HttpResponse:  # type: ignore[no-untyped-def]
    form = PeriodForm(
        request.GET or None, districts=selectors.districts_of(organisation_id), today=timezone.localdate()
    )
    if request.GET and not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form, "title": title}, status=400)
    data = form.cleaned_data if request.GET else {}
    period = data.get("period") or periods.year(timezone.localdate().year)
    report = build(period, data.get("stadtteil") or "")
    return render(request, "reports/dashboard.html", {"form": form, "report": report, "title": title})


@login_required
def office(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "office_dashboard", Organisation)
    organisation = selectors.office_organisation_for(request.user)
    if organisation is None:
        raise Http404
    return _dashboard(
        request,
        organisation.name,
        organisation.pk,
        lambda period, district: selectors.office_dashboard(request.user, period, district),
    )


@login_required
def unit(request: HttpRequest, slug: str) -> HttpResponse:
    access.require(request.user, "dashboard", Unit)
    found = selectors.get_dashboard_unit_for(request.user, slug)
    organisation = selectors.unit_organisation(request.user, found)
    return _dashboard(
        request,
        found.name,
        organisation.pk,
        lambda period, district: selectors.unit_dashboard(request.user, found, period, district),
    )


@login_required
def council(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "office_dashboard", Organisation)
    organisation = selectors.office_organisation_for(request.user)
    if organisation is None:
        raise Http404
    form = CouncilReportForm(
        request.GET or None, initial={"jahr": timezone.localdate().year - 1, "format": "pdf"}
    )
    if not request.GET or not form.is_valid():
        status = 400 if request.GET else 200
        return render(
            request, "reports/council.html", {"form": form, "organisation": organisation}, status=status
        )
    year = form.cleaned_data["jahr"]
    chosen = form.cleaned_data["format"]
    report = selectors.council_report(organisation, periods.year(year))
    if chosen == "pdf":
        body: bytes | str = exports.report_pdf(report)
    elif chosen == "xlsx":
        body = exports.report_xlsx(report)
    else:
        body = exports.report_csv(report)
    response = HttpResponse(body, content_type=CONTENT_TYPES[chosen])
    response["Content-Disposition"] = (
        f'attachment; filename="ratsbericht-{organisation.slug}-{year}.{chosen}"'
    )
    return response
