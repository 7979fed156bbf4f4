"""The contact log of a case file: add a contact in place (htmx), edit one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases.forms import ContactForm
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import contacts as services
from lotse.cases.views.case_files import (
    apply_errors,
    expected_version,
    htmx,
    render_tab,
    stale_values,
    tab_url,
)
from lotse.core.services import StaleVersion


@login_required
@require_POST
def contact_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True, record_read=False)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = services.contact_create(actor=request.user, case=case, **form.to_data())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if htmx(request):
                # The new row appears at the top of the list; the form is empty again.
                return render_tab(request, case, "kontakte", new_contact_id=contact.pk)
            messages.success(request, _("Der Kontakt ist eingetragen."))
            return redirect(tab_url(case, "kontakte"))
    return render_tab(request, case, "kontakte", contact_form=form, status=400)


@login_required
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.get_contact_for(request.user, contact_id, edit=True)
    case = contact.case
    form = ContactForm(request.POST or None, initial=ContactForm.initial_for(contact))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                actor=request.user,
                contact=contact,
                data=form.to_data(),
                expected_version=expected_version(form),
            )
        except StaleVersion as error:
            current = selectors.get_contact_for(request.user, contact_id)
            form.add_error(None, error.messages)
            data = form.data.copy()  # type: ignore[attr-defined]
            data["version"] = str(current.version)
            form.data = data
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Der Kontakt ist gespeichert."))
            return redirect(tab_url(case, "kontakte"))
    return render(
        request,
        "cases/contact_edit.html",
        {
            "case": case,
            "contact": contact,
            "form": form,
            "current": current,
            "stale_values": stale_values(form, current),
        },
        status=400 if request.method == "POST" else 200,
    )
