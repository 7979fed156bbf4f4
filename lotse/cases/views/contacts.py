"""The contact log of a case file: add a contact in place (htmx), edit one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.cases.forms import ContactForm
from lotse.cases.models import Contact
from lotse.cases.selectors import case_files as selectors
from lotse.cases.services import contacts as services
from lotse.cases.views.case_files import render_tab, tab_url
from lotse.core.pages import form_page, is_htmx, page, version_of


@login_required
@require_POST
def contact_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id, edit=True)
    form = ContactForm(request.POST)

    def done(contact: Contact) -> HttpResponse:
        if is_htmx(request):
            # The new row appears at the top of the list; the form is empty again.
            return render_tab(request, case, "kontakte", new_contact_id=contact.pk)
        messages.success(request, _("Der Kontakt ist eingetragen."))
        return redirect(tab_url(case, "kontakte"))

    return form_page(
        request,
        form,
        show=lambda form, **extra: render_tab(request, case, "kontakte", contact_form=form),
        save=lambda: services.contact_create(actor=request.user, case=case, **form.to_data()),
        done=done,
    )


@login_required
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = selectors.get_contact_for(request.user, contact_id, edit=True)
    case = contact.case
    form = ContactForm(request.POST or None, initial=ContactForm.initial_for(contact))

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Der Kontakt ist gespeichert."))
        return redirect(tab_url(case, "kontakte"))

    return form_page(
        request,
        form,
        show=page(request, "cases/contact_edit.html", case=case, contact=contact),
        save=lambda: services.contact_update(
            actor=request.user, contact=contact, data=form.to_data(), expected_version=version_of(form)
        ),
        done=done,
        current=lambda: selectors.get_contact_for(request.user, contact_id),
    )
