"""Consent pages (per person: list and new; one consent: detail and withdrawal) and the list
of a person's disclosures. Thin: selectors read, services decide and write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases.consent_forms import ConsentForm, WithdrawConsentForm
from lotse.cases.models import Consent, Referral
from lotse.cases.selectors import consents as selectors
from lotse.cases.selectors.persons import get_person_for_casework
from lotse.cases.services import consents as services
from lotse.core import access
from lotse.core.pages import form_page, page, paginate

PAGE_SIZE = 50


def consent_state(consent: Consent, today: Any) -> str:
    if consent.withdrawn_on is not None:
        return "withdrawn"
    if consent.is_valid_on(today):
        return "valid"
    return "future" if today < consent.given_on else "expired"


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
            "can_record": access.can(request.user, "create", Consent),
            "can_refer": access.can(request.user, "create", Referral),
        },
    )


@login_required
def consent_create(request: HttpRequest, person_id: int) -> HttpResponse:
    access.require(request.user, "create", Consent)
    person = get_person_for_casework(request.user, person_id)
    for_referral = request.GET.get("verweisung") == "1"  # back to the referral being typed
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"recipients": request.GET.getlist("an")},
        organisations=list(selectors.recipient_choices(request.user)),
        person_languages=list(person.languages or []),
        units=list(selectors.units_obtaining_consents(request.user)),
    )

    def done(consent: Consent) -> HttpResponse:
        if for_referral:
            messages.success(request, _("Die Einwilligung ist erfasst. Weiter mit der Verweisung."))
            query = urlencode({"person": person.pk, "entwurf": 1, "einwilligung": consent.pk})
            return redirect(f"{reverse('cases:referral_create')}?{query}")
        messages.success(request, _("Die Einwilligung ist erfasst."))
        return redirect("cases:consent_detail", consent.pk)

    return form_page(
        request,
        form,
        show=page(request, "cases/consent_form.html", person=person, for_referral=for_referral),
        save=lambda: services.consent_create(actor=request.user, person=person, **form.service_kwargs()),
        done=done,
    )


def _detail(
    request: HttpRequest, consent: Consent, form: WithdrawConsentForm | None = None, **extra: Any
) -> HttpResponse:
    on_request = _on_request(request, consent)
    may_withdraw = consent.withdrawn_on is None and (
        on_request or access.can(request.user, "manage", consent)
    )
    if may_withdraw and form is None:
        form = WithdrawConsentForm(initial={"version": consent.version}, on_request=on_request)
    context = {
        "consent": consent,
        "person": consent.person,
        "state": consent_state(consent, timezone.localdate()),
        "referrals": list(selectors.referrals_based_on(request.user, consent)),
        "withdraw_form": form if may_withdraw else None,
        "on_request": on_request,
    }
    return render(request, "cases/consent_detail.html", context)


def _on_request(request: HttpRequest, consent: Consent) -> bool:
    """Not the obtaining unit, but may record a withdrawal the person declared to it."""
    user = request.user
    return not access.can(user, "manage", consent) and access.can(user, "withdraw_on_request", consent)


@login_required
def consent_detail(request: HttpRequest, consent_id: int) -> HttpResponse:
    return _detail(request, selectors.get_consent_for(request.user, consent_id))


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    consent = selectors.get_consent_for(request.user, consent_id)
    on_request = _on_request(request, consent)
    form = WithdrawConsentForm(request.POST, on_request=on_request)

    def done(_result: Any) -> HttpResponse:
        messages.success(
            request,
            _(
                "Der Widerruf ist erfasst. Die empfangenden Stellen haben keinen Zugriff mehr und "
                "sind benachrichtigt."
            ),
        )
        return redirect("cases:consent_detail", consent.pk)

    return form_page(
        request,
        form,
        show=lambda form, **extra: _detail(request, consent, form),
        save=lambda: services.consent_withdraw(
            actor=request.user,
            consent=consent,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
            on_request=on_request,
        ),
        done=done,
        current=lambda: selectors.get_consent_for(request.user, consent_id),
    )


@login_required
def disclosure_list(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for_disclosures(request.user, person_id)
    disclosures = paginate(request, selectors.disclosures_of_person(request.user, person), PAGE_SIZE)
    context = {"person": person, "page": disclosures, "casework": access.can(request.user, "view", person)}
    return render(request, "cases/disclosure_list.html", context)
