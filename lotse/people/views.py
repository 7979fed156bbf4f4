"""The person register's pages: search, intake with the live duplicate panel, a person's
record, editing, merging two records, the duplicate work list, and households."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.models import Organisation, Unit, User
from lotse.core import access
from lotse.core.pages import error_text, form_page, is_htmx, keyset_page, page
from lotse.people import protection, selectors, services
from lotse.people.duplicates import records_of
from lotse.people.forms import (
    HouseholdForm,
    MemberAddForm,
    MergeForm,
    PersonForm,
    RegisterBlockForm,
    RelationshipForm,
    RestrictionForm,
    records_from_partial,
)
from lotse.people.matching import DEFAULT_THRESHOLD
from lotse.people.models import Household, Person, Restriction


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Person)
    query = request.GET.get("q", "").strip()
    persons = keyset_page(
        request, selectors.person_search(request.user, query), ordering=("-created_at", "-pk")
    )
    template = "people/partials/person_rows.html" if is_htmx(request) else "people/person_list.html"
    context = {
        "page": persons,
        "query": query,
        "can_edit": access.can(request.user, "create", Person),
        "own_records": selectors.own_records_unit(request.user),
    }
    return render(request, template, context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "create", Person)
    # Without a register, the person goes into the unit's own records (docs/decisions/0018).
    own_records = selectors.own_records_unit(request.user)
    form = PersonForm(request.POST or None, own_records=own_records is not None)
    candidates = (
        selectors.duplicate_candidates(request.user, records_from_partial(request.POST))
        if request.method == "POST"
        else []
    )

    def save() -> Person:
        if (
            any(c.score >= DEFAULT_THRESHOLD for c in candidates)
            and not form.cleaned_data["duplicates_checked"]
        ):
            raise ValidationError(
                {
                    "duplicates_checked": _(
                        "Im Register steht sehr wahrscheinlich schon dieselbe Person (siehe „Mögliche "
                        "Dubletten“). Öffnen Sie den Eintrag, oder bestätigen Sie, dass es eine andere "
                        "Person ist."
                    )
                    if own_records is None
                    else _(
                        "In Ihren eigenen Akten steht sehr wahrscheinlich schon dieselbe Person (siehe "
                        "„Mögliche Dubletten“). Öffnen Sie den Eintrag, oder bestätigen Sie, dass es "
                        "eine andere Person ist."
                    )
                }
            )
        organisation = cast(User, request.user).organisation
        if organisation is None:
            raise Http404
        return services.person_create(
            actor=request.user, organisation=organisation, data=form.to_input(), kept_by=own_records
        )

    def done(person: Person) -> HttpResponse:
        if own_records is None:
            messages.success(request, _("%(name)s ist im Register erfasst.") % {"name": person})
        else:
            messages.success(
                request,
                _("%(name)s ist in den eigenen Akten von „%(unit)s“ erfasst.")
                % {"name": person, "unit": own_records},
            )
        return redirect("people:person_detail", person.pk)

    return form_page(
        request,
        form,
        show=page(request, "people/person_form.html", candidates=candidates, threshold=DEFAULT_THRESHOLD),
        save=save,
        done=done,
    )


@login_required
@require_POST
def person_duplicates(request: HttpRequest) -> HttpResponse:
    """The live panel beside the intake form: who in the register might this be?"""
    access.require(request.user, "list", Person)
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
            "can_edit": access.can(request.user, "edit", person),
            "can_open_case": access.can(request.user, "casework", Unit),
            "shows_whereabouts": access.can(request.user, "whereabouts", person),
            "can_block": access.can(request.user, "block", person),
            "can_restrict": access.can(request.user, "restrict", person),
            "restriction": protection.restriction_in_force(person),
        },
    )


def _protected_person(request: HttpRequest, person_id: int, action: str) -> Person:
    """A current record of the register on which the user may ``action`` (block, restrict)."""
    person = selectors.get_person_for(request.user, person_id)
    if person.merged_into_id:
        raise Http404
    access.require(request.user, action, person)
    return person


@login_required
def person_block(request: HttpRequest, person_id: int) -> HttpResponse:
    """The register's block (§§ 51, 52 BMG), entered, changed or lifted by its keepers."""
    person = _protected_person(request, person_id, "block")
    form = RegisterBlockForm(
        request.POST or None,
        initial={
            "register_block": person.register_block,
            "register_block_since": person.register_block_since,
        },
    )

    def save() -> Any:
        kind = form.cleaned_data["register_block"]
        if not kind:
            return protection.register_block_lift(actor=request.user, person=person)
        return protection.register_block_set(
            actor=request.user, person=person, kind=kind, since=form.cleaned_data["register_block_since"]
        )

    def done(_changes: Any) -> HttpResponse:
        messages.success(request, _("Die Sperre ist gespeichert."))
        return redirect("people:person_detail", person.pk)

    return form_page(
        request, form, show=page(request, "people/person_block.html", person=person), save=save, done=done
    )


def _person_to_restrict(request: HttpRequest, person_id: int) -> tuple[Person, str]:
    """The person, and where the user came from: the register's page, or the data protection
    officer's page of the person (who does not read the register)."""
    person = selectors.get_person_to_restrict(request.user, person_id)
    access.require(request.user, "restrict", person)
    if access.can(request.user, "edit", person):
        return person, reverse("people:person_detail", args=[person.pk])
    return person, reverse("privacy:person_log", args=[person.pk])


@login_required
def person_restrict(request: HttpRequest, person_id: int) -> HttpResponse:
    """Restrict the processing of everything about the person (Art. 18 GDPR), or (when it is
    restricted) show the restriction with the button that lifts it."""
    person, back = _person_to_restrict(request, person_id)
    form = RestrictionForm(request.POST or None)

    def done(_restriction: Restriction) -> HttpResponse:
        messages.success(
            request, _("Die Verarbeitung der Daten von %(name)s ist eingeschränkt.") % {"name": person}
        )
        return redirect(back)

    return form_page(
        request,
        form,
        show=page(
            request,
            "people/person_restrict.html",
            person=person,
            back=back,
            restriction=protection.restriction_in_force(person),
        ),
        save=lambda: protection.restriction_set(
            actor=request.user,
            person=person,
            ground=form.cleaned_data["ground"],
            requested_on=form.cleaned_data["requested_on"],
            note=form.cleaned_data["note"],
        ),
        done=done,
    )


@login_required
@require_POST
def restriction_lift(request: HttpRequest, person_id: int) -> HttpResponse:
    person, back = _person_to_restrict(request, person_id)
    restriction = protection.restriction_in_force(person)
    if restriction is None:
        raise Http404

    def done(_restriction: Restriction) -> HttpResponse:
        messages.success(request, _("Die Einschränkung ist aufgehoben."))
        return redirect(back)

    return form_page(
        request,
        Form(request.POST),  # nothing to fill in: the button says it all
        show=page(request, "people/person_restrict.html", person=person, restriction=restriction, back=back),
        save=lambda: protection.restriction_lift(actor=request.user, restriction=restriction),
        done=done,
    )


def _current_person(request: HttpRequest, person_id: int) -> Person:
    """A current record of the register that the user may change, else 404."""
    person = selectors.get_person_for(request.user, person_id)
    if person.merged_into_id:
        raise Http404
    access.require(request.user, "edit", person)
    return person


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _current_person(request, person_id)
    own_records = person.kept_by_id is not None
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person), own_records=own_records)

    def done(_changes: Any) -> HttpResponse:
        messages.success(request, _("Die Angaben zu %(name)s sind gespeichert.") % {"name": person})
        return redirect("people:person_detail", person.pk)

    return form_page(
        request,
        form,
        show=page(
            request, "people/person_form.html", person=person, candidates=[], threshold=DEFAULT_THRESHOLD
        ),
        save=lambda: services.person_update(actor=request.user, person=person, data=form.to_input()),
        done=done,
    )


@login_required
def person_merge(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    """Side by side; the clerk picks the record that stays."""
    first, second = _current_person(request, person_id), _current_person(request, other_id)
    if first.pk == second.pk:
        raise Http404
    form = MergeForm(request.POST or None, ids=(first.pk, second.pk))
    comparison = selectors.duplicates.best_comparison(records_of(first), records_of(second))

    def save() -> tuple[Person, Person]:
        kept, merged = (first, second) if form.cleaned_data["kept"] == first.pk else (second, first)
        return services.person_merge(actor=request.user, kept=kept, merged=merged), merged

    def done(result: tuple[Person, Person]) -> HttpResponse:
        kept, merged = result
        messages.success(
            request,
            _("Die Einträge sind zusammengeführt. Der Eintrag #%(merged)s verweist jetzt auf diesen.")
            % {"merged": merged.pk},
        )
        return redirect("people:person_detail", kept.pk)

    def show(form: MergeForm, **extra: Any) -> HttpResponse:
        context = {"first": first, "second": second, "comparison": comparison, "error": error_text(form)}
        return render(request, "people/person_merge.html", context)

    return form_page(request, form, show=show, save=save, done=done)


@login_required
def duplicate_pairs(request: HttpRequest) -> HttpResponse:
    """Work list: likely duplicates among recent entries (after imports and intakes), a thousand
    entries at a time (``?teil=2`` the next thousand changed before them)."""
    access.require(request.user, "list", Person)
    part = request.GET.get("teil", "1")
    work = selectors.open_duplicate_pairs(request.user, part=int(part) - 1 if part.isdigit() else 0)
    return render(
        request,
        "people/duplicate_pairs.html",
        {
            "work": work,
            "pairs": work.pairs,
            "threshold": DEFAULT_THRESHOLD,
            "can_merge": access.can(request.user, "keep_register", Organisation),
        },
    )


# --- Households ------------------------------------------------------------------------------


@login_required
def household_create(request: HttpRequest, person_id: int) -> HttpResponse:
    """A new household around a person: name and dwelling default to the person's."""
    person = _current_person(request, person_id)
    initial = HouseholdForm.initial_for(services.household_default_name(person), person.dwelling)
    form = HouseholdForm(request.POST or None, initial=initial)

    def done(household: Household) -> HttpResponse:
        messages.success(request, _("Der Haushalt „%(name)s“ ist angelegt.") % {"name": household})
        return redirect("people:household_detail", household.pk)

    return form_page(
        request,
        form,
        show=page(request, "people/household_form.html", person=person),
        save=lambda: services.household_create(
            actor=request.user,
            person=person,
            name=form.cleaned_data["name"],
            address=form.address(),
            relationship=form.cleaned_data["relationship"],
        ),
        done=done,
    )


def _household_page(request: HttpRequest, household: Household, *, error: str = "") -> HttpResponse:
    """Members with their place in the household and where each is registered; the search
    for more members (``?q=``, live with htmx) for those who may change it."""
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()
    can_edit = access.can(request.user, "edit", household)
    candidates = selectors.household_candidates(request.user, household, query) if can_edit else []
    context = {
        "household": household,
        "query": query,
        "candidates": candidates,
        "relationships": Person.Relationship.choices,
        "can_edit": can_edit,
    }
    if is_htmx(request) and request.method == "GET":
        return render(request, "people/partials/household_candidates.html", context)
    members = selectors.household_members(household)
    # §§ 51, 52 BMG: where a blocked member lives is not shown outside the register's keepers;
    # the household's dwelling is where they live too (decision 0028).
    hidden = {member.pk for member in members if not access.can(request.user, "whereabouts", member)}
    context |= {
        "members": members,
        "hidden_whereabouts": hidden,
        "shows_whereabouts": not hidden,
        "error": error,
    }
    return render(request, "people/household_detail.html", context)


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    return _household_page(request, selectors.get_household_for(request.user, household_id))


def _household_to_change(request: HttpRequest, household_id: int) -> Household:
    household = selectors.get_household_for(request.user, household_id)
    access.require(request.user, "edit", household)
    return household


@login_required
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_to_change(request, household_id)
    form = HouseholdForm(
        request.POST or None,
        initial=HouseholdForm.initial_for(household.name, household.dwelling),
        with_relationship=False,
    )

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Angaben zum Haushalt sind gespeichert."))
        return redirect("people:household_detail", household.pk)

    return form_page(
        request,
        form,
        show=page(request, "people/household_form.html", household=household),
        save=lambda: services.household_update(
            actor=request.user, household=household, name=form.cleaned_data["name"], address=form.address()
        ),
        done=done,
    )


def _member_page(
    request: HttpRequest, household: Household, form: Form, save: Any, message: str
) -> HttpResponse:
    """A change of the members, posted from the household page; errors come back on it."""

    def done(person: Person) -> HttpResponse:
        messages.success(request, message % {"name": person})
        return redirect("people:household_detail", household.pk)

    return form_page(
        request,
        form,
        show=lambda form, **extra: _household_page(request, household, error=error_text(form)),
        save=save,
        done=done,
    )


@login_required
@require_POST
def household_member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    """Add a person found by the search, with their place in the household."""
    household = _household_to_change(request, household_id)
    form = MemberAddForm(request.POST)
    if "person" in form.errors:
        raise Http404

    def save() -> Person:
        person = selectors.get_person_for(request.user, form.cleaned_data["person"])
        relationship = form.cleaned_data["relationship"]
        return services.household_member_add(
            actor=request.user, household=household, person=person, relationship=relationship
        )

    return _member_page(request, household, form, save=save, message=_("%(name)s gehört jetzt zum Haushalt."))


@login_required
@require_POST
def household_member_relationship(request: HttpRequest, household_id: int, person_id: int) -> HttpResponse:
    household = _household_to_change(request, household_id)
    person = selectors.get_person_for(request.user, person_id)
    form = RelationshipForm(request.POST)
    return _member_page(
        request,
        household,
        form,
        save=lambda: services.household_member_set_relationship(
            actor=request.user,
            household=household,
            person=person,
            relationship=form.cleaned_data["relationship"],
        ),
        message=_("Die Stellung von %(name)s ist gespeichert."),
    )


@login_required
@require_POST
def household_member_remove(request: HttpRequest, household_id: int, person_id: int) -> HttpResponse:
    household = _household_to_change(request, household_id)
    person = selectors.get_person_for(request.user, person_id)
    return _member_page(
        request,
        household,
        Form(request.POST),  # nothing to fill in: the button says it all
        save=lambda: services.household_member_remove(actor=request.user, household=household, person=person),
        message=_("%(name)s gehört nicht mehr zum Haushalt."),
    )
