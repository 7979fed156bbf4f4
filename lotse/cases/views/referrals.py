"""Referral pages: inbox (to my units), outbox (sent by my units), detail with the allowed
actions, and the form for a new referral. Thin: selectors read, services decide and write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotse.accounts.models import Organisation
from lotse.cases.models import Referral
from lotse.cases.referral_forms import (
    CheckForm,
    CompleteForm,
    DeclineForm,
    ReferralForm,
    VersionForm,
    WithdrawForm,
)
from lotse.cases.selectors import consents as consent_selectors
from lotse.cases.selectors import referrals as selectors
from lotse.cases.selectors.persons import get_person_for_casework
from lotse.cases.services import referrals as services
from lotse.core import access
from lotse.core.pages import form_page, is_htmx, keyset_page, page

S = Referral.Status

INBOX_FILTERS = [
    ("open", gettext_lazy("offen")),
    (S.PROPOSED, gettext_lazy("neu (vorgeschlagen)")),
    (S.ACCEPTED, gettext_lazy("angenommen")),
    (S.IN_PROGRESS, gettext_lazy("in Arbeit")),
    (S.DONE, gettext_lazy("erledigt")),
    (S.DECLINED, gettext_lazy("abgelehnt")),
    (S.WITHDRAWN, gettext_lazy("zurückgezogen")),
]
OUTBOX_FILTERS = [*INBOX_FILTERS, ("check_due", gettext_lazy("Nachkontrolle offen"))]


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """The old address: the register's keepers go to their outbox, receivers to the inbox."""
    user = request.user
    if access.can(user, "keep_register", Organisation) and access.can(user, "outbox", Referral):
        return redirect("cases:referral_outbox")
    access.require(user, "inbox", Referral)
    return redirect("cases:referral_inbox")


def _filter(request: HttpRequest, allowed: list[tuple[str, Any]]) -> str:
    status = request.GET.get("stand", "")
    return status if status in {value for value, _label in allowed} else ""


# The counters above a box count up to this many ("mehr als 999 offene Verweisungen"): enough
# to see whether and roughly how much work waits, without reading every referral of a large
# unit on every visit (decision 0046).
COUNTED = 999


@dataclass(frozen=True)
class Counter:
    number: int
    more: bool  # more than ``number``

    def __bool__(self) -> bool:
        return bool(self.number)


def _counts(referrals: Any) -> dict[str, Counter]:
    """Open, overdue and new referrals of a box: one query each, each reading at most
    ``COUNTED`` + 1 entries of an index of the open referrals."""
    today = timezone.localdate()
    open_q = Q(status__in=Referral.OPEN_STATES, access_ended_at__isnull=True)
    kinds = {
        "open": open_q,
        "overdue": open_q & Q(due_date__lt=today),
        "new": Q(status=S.PROPOSED, access_ended_at__isnull=True),
    }
    return {name: Counter(*selectors.counted(referrals.filter(q), COUNTED)) for name, q in kinds.items()}


def _box(request: HttpRequest, box: str) -> HttpResponse:
    """The inbox (referrals to the user's units) or the outbox (from them); 404 without any."""
    user = request.user
    access.require(user, box, Referral)
    filters = INBOX_FILTERS if box == "inbox" else OUTBOX_FILTERS
    listing = selectors.referral_inbox if box == "inbox" else selectors.referral_outbox
    order = selectors.INBOX_ORDER if box == "inbox" else selectors.OUTBOX_ORDER
    status = _filter(request, filters)
    # Each box reads its overdue referrals, then merged the others, each part in order from an
    # index (``selectors.inbox_parts``, ``selectors.outbox_parts``), instead of sorting every
    # referral the units ever received or sent.
    parts = selectors.inbox_parts if box == "inbox" else selectors.outbox_parts
    first, others = parts(status)
    referrals = keyset_page(request, listing(user, status=status), ordering=order, first=first, others=others)
    for referral in referrals:  # the receiver sees whom it is about while it is open
        referral.shows_person = access.can(user, "see_subject", referral)
    context = {
        "page": referrals,
        "box": box,
        "filters": filters,
        "status": status,
        "counts": _counts(listing(user)),
        "has_outbox": access.can(user, "outbox", Referral),
        "has_inbox": access.can(user, "inbox", Referral),
        "can_refer": box == "outbox" and access.can(user, "create", Referral),
    }
    return render(request, "cases/referral_box.html", context)


@login_required
def referral_inbox(request: HttpRequest) -> HttpResponse:
    return _box(request, "inbox")


@login_required
def referral_outbox(request: HttpRequest) -> HttpResponse:
    return _box(request, "outbox")


# --- detail and actions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    slug: str
    label: Any
    form: type[VersionForm]
    service: Callable[..., Referral]
    fields: dict[str, str]  # form field -> service keyword
    permission: str  # "answer" (the receiving unit) or "manage" (the sending unit)
    states: frozenset[str]
    done_message: Any
    hint: Any = ""


ACTIONS = {
    action.slug: action
    for action in [
        Action(
            slug="annehmen",
            label=gettext_lazy("Annehmen"),
            form=VersionForm,
            service=services.referral_accept,
            fields={},
            permission="answer",
            states=frozenset({S.PROPOSED}),
            done_message=gettext_lazy("Die Verweisung ist angenommen."),
            hint=gettext_lazy(
                "Ihre Stelle übernimmt die Verweisung; die verweisende Stelle sieht das sofort."
            ),
        ),
        Action(
            slug="ablehnen",
            label=gettext_lazy("Ablehnen"),
            form=DeclineForm,
            service=services.referral_decline,
            fields={"reason": "reason"},
            permission="answer",
            states=frozenset({S.PROPOSED}),
            done_message=gettext_lazy(
                "Die Verweisung ist abgelehnt; die verweisende Stelle wird benachrichtigt."
            ),
        ),
        Action(
            slug="beginnen",
            label=gettext_lazy("Mit der Arbeit beginnen"),
            form=VersionForm,
            service=services.referral_start,
            fields={},
            permission="answer",
            states=frozenset({S.ACCEPTED}),
            done_message=gettext_lazy("Die Verweisung ist in Arbeit."),
            hint=gettext_lazy("Sobald Sie mit der Person arbeiten (erster Termin, erster Kontakt)."),
        ),
        Action(
            slug="erledigen",
            label=gettext_lazy("Als erledigt melden"),
            form=CompleteForm,
            service=services.referral_complete,
            fields={"outcome": "outcome"},
            permission="answer",
            states=frozenset({S.IN_PROGRESS}),
            done_message=gettext_lazy("Das Ergebnis ist gemeldet. Danke!"),
        ),
        Action(
            slug="zurueckziehen",
            label=gettext_lazy("Verweisung zurückziehen"),
            form=WithdrawForm,
            service=services.referral_withdraw,
            fields={"reason": "reason"},
            permission="manage",
            states=frozenset(Referral.OPEN_STATES),
            done_message=gettext_lazy("Die Verweisung ist zurückgezogen."),
        ),
        Action(
            slug="nachkontrolle",
            label=gettext_lazy("Nachkontrolle speichern"),
            form=CheckForm,
            service=services.referral_check_record,
            fields={"result": "result", "note": "note"},
            permission="manage",
            states=frozenset({S.DONE}),
            done_message=gettext_lazy("Die Nachkontrolle ist gespeichert."),
        ),
    ]
}


def allowed_actions(user: Any, referral: Referral) -> list[Action]:
    """The actions open now: by the referral's state, and by who may take them."""
    return [
        action
        for action in ACTIONS.values()
        if referral.status in action.states
        and not (action.slug == "nachkontrolle" and referral.check_result)
        and access.can(user, action.permission, referral)
    ]


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def timeline(referral: Referral) -> list[dict[str, Any]]:
    """What happened, oldest first: created, answered, started, done, checked, withdrawn; each
    step names who took it (from the audit trail, which records the actor of every write)."""
    steps = selectors.referral_steps(referral)

    def who(step: str, user: Any = None) -> str:
        if user is not None:
            return _name(user)
        event = steps.get(step)
        if event is None:
            return ""
        if event.actor is not None:
            return _name(event.actor)
        # Lotse itself wrote it (demo data, a scheduled job), or an account since removed.
        return _("Lotse (automatisch)") if event.actor_id is None else event.actor_name

    entries: list[dict[str, Any]] = [
        {
            "when": referral.created_at,
            "what": _("Verwiesen von %(unit)s") % {"unit": referral.from_unit.name},
            "who": who("created", referral.created_by),
        }
    ]
    if referral.responded_at:
        declined = referral.status == S.DECLINED
        entries.append(
            {
                "when": referral.responded_at,
                "what": _("Abgelehnt") if declined else _("Angenommen"),
                "who": who(S.DECLINED if declined else S.ACCEPTED, referral.responded_by),
                "text": referral.decline_reason if declined else "",
                "text_label": _("Grund") if declined else "",
            }
        )
    if referral.started_at:
        entries.append({"when": referral.started_at, "what": _("Arbeit begonnen"), "who": who(S.IN_PROGRESS)})
    if referral.done_at:
        entries.append(
            {
                "when": referral.done_at,
                "what": _("Erledigt"),
                "who": who(S.DONE),
                "text": referral.outcome,
                "text_label": _("Ergebnis"),
            }
        )
    if referral.status == S.WITHDRAWN:
        withdrawal = steps.get(S.WITHDRAWN)
        entries.append(
            {
                "when": withdrawal.occurred_at if withdrawal else None,
                "what": _("Zurückgezogen"),
                "who": who(S.WITHDRAWN),
                "text": referral.decline_reason,
                "text_label": _("Grund der Rücknahme"),
            }
        )
    if referral.checked_at:
        entries.append(
            {
                "when": referral.checked_at,
                "what": _("Nachkontrolle: %(result)s") % {"result": referral.get_check_result_display()},
                "who": who("checked"),
                "text": referral.check_note,
                "text_label": _("Anmerkung"),
            }
        )
    if referral.access_ended_at:
        entries.append(
            {
                "when": referral.access_ended_at,
                "what": _("Einwilligung widerrufen – Zugriff der Empfänger beendet"),
                "who": who("access_ended"),
            }
        )
    return sorted(entries, key=lambda entry: (entry["when"] is None, entry["when"] or timezone.now()))


def _work_context(
    request: HttpRequest, referral: Referral, bound: forms.Form | None = None, bound_slug: str = ""
) -> dict[str, Any]:
    user = request.user
    actions: list[dict[str, Any]] = []
    allowed = allowed_actions(user, referral)
    for action in allowed:
        if action.slug == bound_slug and bound is not None:
            form = bound
        else:
            form = action.form(initial={"version": referral.version}, prefix=action.slug)
        actions.append({"action": action, "form": form})
    if bound is not None and bound_slug not in {action.slug for action in allowed}:
        # The action is no longer possible (someone else acted): say why above the current state.
        error = " ".join(str(message) for message in bound.non_field_errors())
    else:
        error = ""
    shows_subject = access.can(user, "see_subject", referral)
    return {
        "referral": referral,
        "actions": actions,
        "timeline": timeline(referral),
        "is_sender": access.can(user, "manage", referral),
        "shows_person": shows_subject,
        # §§ 51, 52 BMG: a blocked person's address stays with the register (decision 0028).
        "shows_whereabouts": shows_subject and access.can(user, "whereabouts", referral.person),
        "shows_case": referral.case_id is not None and shows_subject,
        "today": timezone.localdate(),
        "error": error,
    }


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, referral_id)
    return render(request, "cases/referral_detail.html", _work_context(request, referral))


@login_required
@require_POST
def referral_act(request: HttpRequest, referral_id: int, action: str) -> HttpResponse:
    referral = selectors.get_referral_for(request.user, referral_id)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    form = chosen.form(request.POST, prefix=chosen.slug)

    def done(_result: Referral) -> HttpResponse:
        if is_htmx(request):
            fresh = selectors.get_referral_for(request.user, referral_id)
            context = _work_context(request, fresh) | {"done_message": chosen.done_message}
            return render(request, "cases/partials/referral_work.html", context)
        # „Hinweis“, not „Erledigt“: the alert's title would read like the referral's state.
        messages.info(request, str(chosen.done_message))
        return redirect("cases:referral_detail", referral.pk)

    def show(form: VersionForm, current: Referral | None = None, **extra: Any) -> HttpResponse:
        # After a conflict: what is stored now; the typed text stays in the form.
        context = _work_context(request, current or referral, bound=form, bound_slug=chosen.slug)
        template = "cases/partials/referral_work.html" if is_htmx(request) else "cases/referral_detail.html"
        return render(request, template, context)

    return form_page(
        request,
        form,
        show=show,
        save=lambda: chosen.service(
            actor=request.user,
            referral=referral,
            expected_version=form.cleaned_data["version"],
            **{keyword: form.cleaned_data[field] for field, keyword in chosen.fields.items()},
        ),
        done=done,
        current=lambda: selectors.get_referral_for(request.user, referral_id),
    )


# --- new referral -----------------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _basis_context(
    request: HttpRequest, person: Any, form: ReferralForm, from_unit: Any, to_unit: Any
) -> dict[str, Any]:
    """What the receiving unit means for the basis: who receives, which consents carry it."""
    if to_unit is None or from_unit is None:
        return {"chosen": False}
    organisation_id = services.sending_organisation_id(actor=request.user, person=person)
    recipients = services.recipient_organisations(organisation_id=organisation_id, to_unit=to_unit)
    route = selectors.referral_route_for(from_unit.pk, to_unit.pk)
    covering = consent_selectors.valid_consents_for(
        request.user, person, recipient_ids={o.pk for o in recipients}
    )
    return {
        "chosen": True,
        "recipients": recipients,
        "covering": covering,
        "route": route,
    }


# A referral typed halfway while the clerk records the consent it needs (one per session).
DRAFT = "lotse_referral_draft"


def _keep_draft(request: HttpRequest, person: Any, to_unit: Any) -> HttpResponse:
    """Keep what was typed, record the consent, come back (``?entwurf=1``)."""
    typed = {
        key: request.POST.getlist(key)
        for key in request.POST
        if key not in ("csrfmiddlewaretoken", "einwilligung_erfassen")
    }
    request.session[DRAFT] = {"person": person.pk, "data": typed}
    query = QueryDict(mutable=True)
    query["verweisung"] = "1"
    if to_unit is not None:
        organisation_id = services.sending_organisation_id(actor=request.user, person=person)
        recipients = services.recipient_organisations(organisation_id=organisation_id, to_unit=to_unit)
        query.setlist("an", [str(o.pk) for o in recipients])
    return redirect(f"{reverse('cases:consent_create', args=[person.pk])}?{query.urlencode()}")


def _restored_draft(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """The typed referral back as the form's initial values, with the consent just recorded."""
    draft = request.session.get(DRAFT)
    if not request.GET.get("entwurf") or not draft or draft.get("person") != person.pk:
        return None
    del request.session[DRAFT]
    initial = {key: values[0] if len(values) == 1 else values for key, values in draft["data"].items()}
    if consent_id := _int(request.GET.get("einwilligung")):
        initial["consent"] = consent_id
    return initial


def _referral_form(
    request: HttpRequest, person: Any, data: Any = None, restored: dict[str, Any] | None = None
) -> tuple[ReferralForm, Any, Any]:
    user = request.user
    from_units = selectors.sending_units(user)
    if not from_units:
        raise Http404
    source = data if data is not None else (restored or request.GET)
    from_unit = next((u for u in from_units if u.pk == _int(source.get("from_unit"))), from_units[0])
    to_units = selectors.referral_targets(from_unit.pk)
    to_unit = next((u for u in to_units if u.pk == _int(source.get("to_unit") or source.get("an"))), None)
    consents = consent_selectors.valid_consents_for(user, person)
    if data is None and to_unit is not None:
        # Offer only consents that cover this receiver; a POST is checked against all of them
        # so that the service can say exactly why a consent does not fit.
        organisation_id = services.sending_organisation_id(actor=user, person=person)
        wanted = {
            o.pk for o in services.recipient_organisations(organisation_id=organisation_id, to_unit=to_unit)
        }
        consents = [c for c in consents if wanted <= {o.pk for o in c.recipients.all()}]
    provisions = selectors.provisions_for([from_unit.pk], [to_unit.pk]).get(to_unit.pk, []) if to_unit else []
    # The way's usual provision and the consents that cover the receiver are offered, never
    # chosen for the sender: a basis is a person's decision (nor is a part of a case file to
    # share: sharing starts from the minimum).
    initial: dict[str, Any] = {"from_unit": from_unit.pk, "to_unit": to_unit.pk if to_unit else ""}
    cases = selectors.cases_to_share(user, person, {u.pk for u in from_units})
    if _int(request.GET.get("fallakte")) in {c.pk for c in cases}:
        initial["case"] = _int(request.GET.get("fallakte"))
    if restored:
        initial |= restored
    form = ReferralForm(
        data,
        initial=initial,
        from_units=from_units,
        to_units=to_units,
        consents=consents,
        provisions=provisions,
        cases=cases,
    )
    return form, from_unit, to_unit


@login_required
def referral_create(request: HttpRequest) -> HttpResponse:
    """Without ``person``: find the person; with it: the form."""
    access.require(request.user, "create", Referral)
    person_id = _int(request.GET.get("person"))
    if person_id is None:
        query = request.GET.get("q", "").strip()
        persons = selectors.persons_to_refer(request.user, query) if query else []
        template = (
            "cases/partials/referral_person_results.html" if is_htmx(request) else "cases/referral_start.html"
        )
        return render(request, template, {"query": query, "persons": persons})
    person = get_person_for_casework(request.user, person_id)
    posted = request.POST if request.method == "POST" else None
    form, from_unit, to_unit = _referral_form(
        request, person, posted, restored=None if posted else _restored_draft(request, person)
    )
    if posted is not None and "einwilligung_erfassen" in posted:
        return _keep_draft(request, person, to_unit)

    def done(referral: Referral) -> HttpResponse:
        messages.success(
            request, _("Die Verweisung an „%(unit)s“ ist angelegt.") % {"unit": referral.to_unit.name}
        )
        return redirect("cases:referral_detail", referral.pk)

    return form_page(
        request,
        form,
        show=page(
            request,
            "cases/referral_form.html",
            person=person,
            **_basis_context(request, person, form, from_unit, to_unit),
        ),
        save=lambda: services.referral_create(actor=request.user, person=person, **form.service_kwargs()),
        done=done,
    )


@login_required
def referral_basis(request: HttpRequest) -> HttpResponse:
    """The basis part of the form for the chosen receiving unit (htmx, on change)."""
    access.require(request.user, "create", Referral)
    person_id = _int(request.GET.get("person"))
    if person_id is None:
        raise Http404
    person = get_person_for_casework(request.user, person_id)
    form, from_unit, to_unit = _referral_form(request, person)
    context = {"person": person, "form": form, **_basis_context(request, person, form, from_unit, to_unit)}
    return render(request, "cases/partials/referral_basis.html", context)
