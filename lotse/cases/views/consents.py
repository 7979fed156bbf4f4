"""Consent pages (per person: list and new; one consent: detail and withdrawal) and the list
of a person's disclosures. Thin: selectors read, services decide and write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases import access
from lotse.cases.consent_forms import ConsentForm, WithdrawConsentForm
from lotse.cases.models import Consent
from lotse.cases.selectors import consents as selectors
from lotse.cases.selectors.persons import get_person_for_casework
from lotse.cases.services import consents as services
from lotse.core.services import StaleVersion

PAGE_SIZE = 50


def consent_state(consent: Consent, today: Any) -> str:
    if consent.withdrawn_on is not None:
        return "withdrawn"
    if consent.is_valid_on(today):
        return "valid"
    return "future" if today < consent.given_on else "expired"


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


@login_required
def consent_list(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_person_for_casework(request.user, person_id)
    today = timezone.localdate()
    consents = [
        {"consent": consent, "state": consent_state(consent, today)}
        for consent in selectors.consents_of_person(request.user, person)
    ]
    return render(
        request,
        "cases/consent_list.html",
        {
            "person": person,
            "consents": consents,
            "can_record": access.can_record_consent(request.user),
            "can_refer": bool(access.case_edit_unit_ids(request.user)),
        },
    )


@login_required
def consent_create(request: HttpRequest, person_id: int) -> HttpResponse:
    if not access.can_record_consent(request.user):
        raise Http404
    person = get_person_for_casework(request.user, person_id, record_read=request.method != "POST")
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        organisations=list(selectors.recipient_choices(request.user)),
        person_languages=list(person.languages or []),
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = services.consent_create(actor=request.user, person=person, **form.service_kwargs())
        except ValidationError as error:
            _add_errors(form, error)
            if "file" in getattr(error, "error_dict", {}):
                form.add_error("upload", error.message_dict["file"])
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Die Einwilligung ist erfasst."))
            return redirect("cases:consent_detail", consent.pk)
    return render(
        request,
        "cases/consent_form.html",
        {"person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(
    request: HttpRequest, consent: Consent, form: WithdrawConsentForm | None = None
) -> dict[str, Any]:
    can_manage = access.can_manage_consent(request.user, consent) and consent.withdrawn_on is None
    return {
        "consent": consent,
        "person": consent.person,
        "state": consent_state(consent, timezone.localdate()),
        "referrals": list(selectors.referrals_based_on(request.user, consent)),
        "withdraw_form": (form or WithdrawConsentForm(initial={"version": consent.version}))
        if can_manage
        else None,
    }


@login_required
def consent_detail(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.get_consent_for(request.user, consent_id)
    return render(request, "cases/consent_detail.html", _detail_context(request, consent))


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.get_consent_for(request.user, consent_id, record_read=False)
    form = WithdrawConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user,
                consent=consent,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion as error:
            consent = selectors.get_consent_for(request.user, consent_id, record_read=False)
            data = request.POST.copy()
            data["version"] = str(consent.version)
            form = WithdrawConsentForm(data)
            form.is_valid()
            form.add_error(None, error.messages)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _(
                    "Der Widerruf ist erfasst. Die empfangenden Stellen haben keinen Zugriff mehr und "
                    "sind benachrichtigt."
                ),
            )
            return redirect("cases:consent_detail", consent.pk)
    return render(request, "cases/consent_detail.html", _detail_context(request, consent, form), status=400)


@login_required
def disclosure_list(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_disclosures(request.user, person_id)
    page = Paginator(selectors.disclosures_of_person(request.user, person), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "cases/disclosure_list.html",
        {"person": person, "page": page, "casework": access.can_view_person(request.user, person)},
    )
