from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.models import User
from lotse.accounts.roles import Capability
from lotse.people import selectors, services
from lotse.people.duplicates import records_of
from lotse.people.forms import (
    HouseholdForm,
    MemberAddForm,
    PersonForm,
    RelationshipForm,
    records_from_partial,
)
from lotse.people.matching import DEFAULT_THRESHOLD
from lotse.people.models import Household, Person

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _require_register(request: HttpRequest, capability: Capability = Capability.VIEW_CASES) -> set[int]:
    ids = selectors.register_ids(request.user, capability)
    if not ids:
        raise Http404
    return ids


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    _require_register(request)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.person_search(request.user, query), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    template = "people/partials/person_rows.html" if request.htmx else "people/person_list.html"  # type: ignore[attr-defined]
    can_edit = bool(selectors.register_ids(request.user, Capability.EDIT_CASES))
    return render(request, template, {"page": page, "query": query, "can_edit": can_edit})


def _save_person(request: HttpRequest, form: PersonForm, person: Any = None) -> HttpResponse | None:
    """Create or update when the form is valid and no likely duplicate is left unchecked."""
    if not form.is_valid():
        return None
    exclude = person.pk if person else None
    candidates = selectors.duplicate_candidates(
        request.user, records_from_partial(request.POST), exclude_id=exclude
    )
    if (
        person is None
        and any(c.score >= DEFAULT_THRESHOLD for c in candidates)
        and not form.cleaned_data["duplicates_checked"]
    ):
        form.add_error(
            "duplicates_checked",
            _(
                "Im Register steht sehr wahrscheinlich schon dieselbe Person (siehe „Mögliche "
                "Dubletten“). Öffnen Sie den Eintrag, oder bestätigen Sie, dass es eine andere Person ist."
            ),
        )
        return None
    try:
        if person is None:
            person = services.person_create(
                actor=request.user,
                organisation=_user(request).organisation,  # type: ignore[arg-type]
                data=form.to_input(),
            )
            messages.success(request, _("%(name)s ist im Register erfasst.") % {"name": person})
        else:
            services.person_update(actor=request.user, person=person, data=form.to_input())
            messages.success(request, _("Die Angaben zu %(name)s sind gespeichert.") % {"name": person})
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    except PermissionDenied:
        raise Http404 from None
    return redirect("people:person_detail", person.pk)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    _require_register(request, Capability.EDIT_CASES)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and (response := _save_person(request, form)):
        return response
    candidates = (
        selectors.duplicate_candidates(request.user, records_from_partial(request.POST))
        if request.method == "POST"
        else []
    )
    return render(
        request,
        "people/person_form.html",
        {"form": form, "candidates": candidates, "threshold": DEFAULT_THRESHOLD},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def person_duplicates(request: HttpRequest) -> HttpResponse:
    """The live panel beside the intake form: who in the register might this be?"""
    _require_register(request)
    exclude = request.POST.get("person_id")
    candidates = selectors.duplicate_candidates(
        request.user,
        records_from_partial(request.POST),
        exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
    )
    return render(
        request,
        "people/partials/duplicates.html",
        {"candidates": candidates, "threshold": DEFAULT_THRESHOLD, "searched": True},
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.get_person_for(request.user, person_id)
    if person.merged_into_id:
        messages.info(
            request, _("Dieser Eintrag wurde zusammengeführt. Sie sehen den verbleibenden Eintrag.")
        )
        return redirect("people:person_detail", person.merged_into_id)
    candidates = selectors.duplicate_candidates(request.user, records_of(person), exclude_id=person.pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "history": selectors.person_history(person),
            "candidates": candidates,
            "threshold": DEFAULT_THRESHOLD,
            "can_edit": bool(selectors.register_ids(request.user, Capability.EDIT_CASES)),
        },
    )


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_register(request, Capability.EDIT_CASES)
    person = selectors.get_person_for(request.user, person_id, record_read=request.method == "GET")
    if person.merged_into_id:
        raise Http404
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and (response := _save_person(request, form, person)):
        return response
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "candidates": [], "threshold": DEFAULT_THRESHOLD},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def person_merge(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    """Side by side; the clerk picks the record that stays."""
    _require_register(request, Capability.EDIT_CASES)
    first = selectors.get_person_for(request.user, person_id)
    second = selectors.get_person_for(request.user, other_id)
    if first.pk == second.pk or first.merged_into_id or second.merged_into_id:
        raise Http404
    error = ""
    if request.method == "POST":
        kept_id = request.POST.get("kept")
        if kept_id not in (str(first.pk), str(second.pk)):
            error = _("Bitte wählen Sie, welcher Eintrag bleiben soll.")
        else:
            kept, merged = (first, second) if kept_id == str(first.pk) else (second, first)
            try:
                services.person_merge(actor=request.user, kept=kept, merged=merged)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    _("Die Einträge sind zusammengeführt. Der Eintrag #%(merged)s verweist jetzt auf diesen.")
                    % {"merged": merged.pk},
                )
                return redirect("people:person_detail", kept.pk)
    comparison = selectors.duplicates.best_comparison(records_of(first), records_of(second))
    return render(
        request,
        "people/person_merge.html",
        {"first": first, "second": second, "comparison": comparison, "error": error},
        status=400 if error else 200,
    )


@login_required
def duplicate_pairs(request: HttpRequest) -> HttpResponse:
    """Work list: likely duplicates among recent entries (after imports and intakes)."""
    _require_register(request)
    return render(
        request,
        "people/duplicate_pairs.html",
        {
            "pairs": selectors.open_duplicate_pairs(request.user),
            "threshold": DEFAULT_THRESHOLD,
            "can_merge": bool(selectors.register_ids(request.user, Capability.EDIT_CASES)),
        },
    )


# --- Households ------------------------------------------------------------------------------


def _form_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError onto the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def household_create(request: HttpRequest, person_id: int) -> HttpResponse:
    """A new household around a person: name and dwelling default to the person's."""
    _require_register(request, Capability.EDIT_CASES)
    person = selectors.get_person_for(request.user, person_id, record_read=False)
    if person.merged_into_id:
        raise Http404
    initial = HouseholdForm.initial_for(services.household_default_name(person), person.dwelling)
    form = HouseholdForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                actor=request.user,
                person=person,
                name=form.cleaned_data["name"],
                address=form.address(),
                relationship=form.cleaned_data["relationship"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Der Haushalt „%(name)s“ ist angelegt.") % {"name": household})
            return redirect("people:household_detail", household.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "person": person},
        status=400 if request.method == "POST" else 200,
    )


def _household_page(
    request: HttpRequest, household: Household, *, error: str = "", status: int = 200
) -> HttpResponse:
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()
    can_edit = bool(selectors.register_ids(request.user, Capability.EDIT_CASES))
    candidates = selectors.household_candidates(request.user, household, query) if can_edit else []
    context = {
        "household": household,
        "query": query,
        "candidates": candidates,
        "relationships": Person.Relationship.choices,
        "can_edit": can_edit,
    }
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        return render(request, "people/partials/household_candidates.html", context)
    context |= {"members": selectors.household_members(household), "error": error}
    return render(request, "people/household_detail.html", context, status=status)


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    """Members with their place in the household and where each is registered; the search
    for more members (``?q=``, live with htmx) for those who may edit."""
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    household = selectors.get_household_for(request.user, household_id, record_read=not htmx)
    return _household_page(request, household)


@login_required
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    _require_register(request, Capability.EDIT_CASES)
    household = selectors.get_household_for(request.user, household_id, record_read=request.method == "GET")
    form = HouseholdForm(
        request.POST or None,
        initial=HouseholdForm.initial_for(household.name, household.dwelling),
        with_relationship=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                actor=request.user,
                household=household,
                name=form.cleaned_data["name"],
                address=form.address(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Die Angaben zum Haushalt sind gespeichert."))
            return redirect("people:household_detail", household.pk)
    return render(
        request,
        "people/household_form.html",
        {"form": form, "household": household},
        status=400 if request.method == "POST" else 200,
    )


def _member_error(request: HttpRequest, household: Household, error: ValidationError) -> HttpResponse:
    return _household_page(request, household, error=" ".join(error.messages), status=400)


@login_required
@require_POST
def household_member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    """Add a person found by the search, with their place in the household."""
    _require_register(request, Capability.EDIT_CASES)
    household = selectors.get_household_for(request.user, household_id, record_read=False)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        if "person" in form.errors:
            raise Http404
        return _member_error(request, household, ValidationError(list(form.errors["relationship"])))
    person = selectors.get_person_for(request.user, form.cleaned_data["person"], record_read=False)
    try:
        services.household_member_add(
            actor=request.user,
            household=household,
            person=person,
            relationship=form.cleaned_data["relationship"],
        )
    except ValidationError as error:
        return _member_error(request, household, error)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("%(name)s gehört jetzt zum Haushalt.") % {"name": person})
    return redirect("people:household_detail", household.pk)


@login_required
@require_POST
def household_member_relationship(request: HttpRequest, household_id: int, person_id: int) -> HttpResponse:
    _require_register(request, Capability.EDIT_CASES)
    household = selectors.get_household_for(request.user, household_id, record_read=False)
    person = selectors.get_person_for(request.user, person_id, record_read=False)
    form = RelationshipForm(request.POST)
    if not form.is_valid():
        return _member_error(request, household, ValidationError(list(form.errors["relationship"])))
    try:
        services.household_member_set_relationship(
            actor=request.user,
            household=household,
            person=person,
            relationship=form.cleaned_data["relationship"],
        )
    except ValidationError as error:
        return _member_error(request, household, error)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Die Stellung von %(name)s ist gespeichert.") % {"name": person})
    return redirect("people:household_detail", household.pk)


@login_required
@require_POST
def household_member_remove(request: HttpRequest, household_id: int, person_id: int) -> HttpResponse:
    _require_register(request, Capability.EDIT_CASES)
    household = selectors.get_household_for(request.user, household_id, record_read=False)
    person = selectors.get_person_for(request.user, person_id, record_read=False)
    try:
        services.household_member_remove(actor=request.user, household=household, person=person)
    except ValidationError as error:
        return _member_error(request, household, error)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("%(name)s gehört nicht mehr zum Haushalt.") % {"name": person})
    return redirect("people:household_detail", household.pk)
