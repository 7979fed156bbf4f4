"""Referral pages. For now: the list of referrals the Clearingstelle has sent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from lotse.cases.selectors import referrals as selectors

PAGE_SIZE = 25


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    if not selectors.sending_organisation_ids(request.user):
        raise Http404
    referrals = selectors.referrals_sent_by_register(request.user).select_related("person", "interview")
    page = Paginator(referrals.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "cases/referral_list.html", {"page": page})
