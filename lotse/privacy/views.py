"""The data protection officer's log: all events, and one person's history with its export."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.core import access
from lotse.core.audit import audit_list, audit_record
from lotse.core.exports import spreadsheet_text
from lotse.core.models import AuditEvent
from lotse.core.pages import form_page, keyset_page, page
from lotse.core.pdf import render_pdf
from lotse.privacy import selectors, services
from lotse.privacy.forms import (
    ErasureDecisionForm,
    ErasureRequestForm,
    LegalHoldForm,
    LiftHoldForm,
    LogFilterForm,
    SubjectRequestDecisionForm,
    SubjectRequestForm,
)
from lotse.privacy.models import ErasureRequest, LegalHold, ProcessingActivity, SubjectRequest
from lotse.privacy.processing import processing_record as processing_record_of
from lotse.privacy.retention import erasure_duties
from lotse.privacy.subject_access import render_answer
from lotse.privacy.subject_access import subject_access as subject_access_of


def _filters(form: LogFilterForm) -> selectors.Filters:
    if not form.is_bound or not form.is_valid():
        return selectors.Filters()
    data = form.cleaned_data
    return selectors.Filters(
        user=data.get("benutzer", "").strip(),
        organisation_id=data.get("organisation"),
        action=data.get("art", ""),
        since=data.get("von"),
        until=data.get("bis"),
        quiet_hours=bool(data.get("ruhezeit")),
        blocked=bool(data.get("gesperrt")),
    )


def _form(request: HttpRequest, *, with_person: bool) -> LogFilterForm:
    return LogFilterForm(
        request.GET if any(key != "nach" for key in request.GET) else None,
        organisations=selectors.organisations(),
        with_person=with_person,
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", AuditEvent)
    form = _form(request, with_person=True)
    query = form.cleaned_data.get("person", "").strip() if form.is_bound and form.is_valid() else ""
    matches = selectors.persons_matching(request.user, query) if query else []
    events = keyset_page(
        request, selectors.log_events(request.user, _filters(form)), ordering=("-pk",), size=50
    )
    return render(
        request,
        "privacy/audit_log.html",
        {
            "form": form,
            "query": query,
            "matches": matches,
            "page": events,
            "lines": selectors.describe(list(events.object_list)),
            "signals": selectors.signals(request.user),
        },
    )


@login_required
def person_log(request: HttpRequest, person_id: int) -> HttpResponse:
    access.require(request.user, "list", AuditEvent)
    person = selectors.person_for_log(request.user, person_id)
    form = _form(request, with_person=False)
    filters = selectors.Filters(**{**vars(_filters(form)), "person": person})
    events = selectors.log_events(request.user, filters)
    if request.GET.get("format") == "csv":
        return _export(request, person, events)
    page = keyset_page(request, events, ordering=("-pk",), size=50)
    return render(
        request,
        "privacy/person_log.html",
        {
            "form": form,
            "person": person,
            "page": page,
            "lines": selectors.describe(list(page.object_list)),
            "answers_requests": access.can(request.user, "subject_access", person),
            "handles_erasure": access.can(request.user, "manage", ErasureRequest),
            "records_requests": access.can(request.user, "list", SubjectRequest),
            "can_restrict": access.can(request.user, "restrict", person),
            "subject_requests": selectors.subject_requests_of(request.user, person),
        },
    )


def _export(request: HttpRequest, person: Any, events: Any) -> HttpResponse:
    """One person's access history as CSV (Art. 15 GDPR), oldest first; the export is an event."""
    lines = selectors.describe(list(events.order_by("pk")[: selectors.EXPORT_LIMIT]))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="zugriffe-person-{person.pk}-{stamp}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with umlauts only with the byte order mark
    writer = csv.writer(response, delimiter=";")
    if person.processing_restricted:  # exports mark a restricted person (Art. 18 GDPR)
        writer.writerow(
            [_("Hinweis"), _("Die Verarbeitung der Daten dieser Person ist eingeschränkt (Art. 18 DSGVO).")]
        )
    if person.register_block:
        writer.writerow([_("Hinweis"), person.get_register_block_display()])
    writer.writerow(
        [
            _("Nr."),
            _("Zeit"),
            _("Wer"),
            _("Organisation"),
            _("Was"),
            _("Datensatz"),
            _("Felder"),
            _("Grundlage"),
        ]
    )
    for line in lines:
        event = line.event
        writer.writerow(
            [
                spreadsheet_text(cell)
                for cell in (
                    event.pk,
                    timezone.localtime(event.occurred_at).strftime("%d.%m.%Y %H:%M:%S"),
                    event.actor_name,
                    line.organisation,
                    event.get_action_display(),
                    line.record,
                    ", ".join(line.fields),
                    line.basis,
                )
            ]
        )
    audit_record(
        actor=request.user, action=AuditEvent.Action.EXPORT, obj=person, changes={"events": len(lines)}
    )
    return response


@login_required
def subject_access(request: HttpRequest, person_id: int) -> HttpResponse:
    """Art. 15: what the user's organisation holds about the person, as PDF or JSON. The page
    says what the answer holds; the download is an export in the log."""
    person = selectors.person_for_subject_access(request.user, person_id)
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:  # the access rule needs an employer; a missing one is a 404 too
        raise Http404
    kind = request.GET.get("format", "")
    if kind in {"pdf", "json"}:
        content = render_answer(person, organisation, kind)
        response = HttpResponse(
            content, content_type="application/pdf" if kind == "pdf" else "application/json"
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="auskunft-person-{person.pk}-{stamp}.{kind}"'
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            obj=person,
            changes={"subject_access": kind, "organisation": organisation.pk},
        )
        return response
    answer = subject_access_of(person, organisation)
    return render(request, "privacy/subject_access.html", {"person": person, "answer": answer})


@login_required
def processing_record(request: HttpRequest) -> HttpResponse:
    """Art. 30: the organisation's record of processing activities, as a page and a PDF."""
    access.require(request.user, "record", ProcessingActivity)
    organisation = getattr(request.user, "organisation", None)
    if organisation is None:
        raise Http404
    record = processing_record_of(organisation)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            render_pdf("privacy/pdf/processing_record.html", {"record": record}),
            content_type="application/pdf",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="verarbeitungsverzeichnis-{stamp}.pdf"'
        return response
    return render(request, "privacy/processing_record.html", {"record": record})


# Erasure requests and legal holds (Art. 17 GDPR, decision 0027).


def _require_privacy(user: Any, model: Any) -> None:
    if not access.can(user, "manage", model):
        raise Http404


@login_required
def erasure_list(request: HttpRequest) -> HttpResponse:
    """Open and decided erasure requests, legal holds in force, the newest deletion runs."""
    _require_privacy(request.user, ErasureRequest)
    return render(
        request,
        "privacy/erasure_list.html",
        {
            "requests": list(selectors.erasure_requests_for(request.user)[:100]),
            "holds": list(selectors.holds_in_force_for(request.user)[:100]),
            "runs": selectors.deletion_log(request.user),
        },
    )


@login_required
def erasure_new(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_privacy(request.user, ErasureRequest)
    person = services.get_person_for_privacy(request.user, person_id)
    form = ErasureRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})

    def save() -> ErasureRequest:
        data = form.cleaned_data
        return services.erasure_request_record(
            actor=request.user, person=person, received_on=data["received_on"], note=data["note"]
        )

    def done(erasure: ErasureRequest) -> HttpResponse:
        messages.success(request, _("Das Löschersuchen ist erfasst und geprüft."))
        return redirect("privacy:erasure_detail", erasure.pk)

    return form_page(
        request, form, show=page(request, "privacy/erasure_new.html", person=person), save=save, done=done
    )


@login_required
def erasure_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    erasure = selectors.get_erasure_request_for(request.user, request_id)
    _require_privacy(request.user, erasure)
    form = ErasureDecisionForm(request.POST or None)
    duties = (
        [duty.line() for duty in erasure_duties(erasure.person, timezone.localdate())]
        if erasure.person is not None and erasure.status == ErasureRequest.Status.OPEN
        else []
    )

    def save() -> ErasureRequest:
        data = form.cleaned_data
        return services.erasure_request_decide(
            actor=request.user,
            request=erasure,
            erase=data["decision"] == "erase",
            reason=data["decision_reason"],
        )

    def done(decided: ErasureRequest) -> HttpResponse:
        if decided.status == ErasureRequest.Status.ERASED:
            messages.success(
                request, _("Die Daten der Person sind gelöscht; die Entscheidung ist festgehalten.")
            )
        else:
            messages.success(request, _("Das Ersuchen ist abgelehnt; die Begründung ist festgehalten."))
        return redirect("privacy:erasure_detail", decided.pk)

    return form_page(
        request,
        form,
        show=page(request, "privacy/erasure_detail.html", erasure=erasure, duties=duties),
        save=save,
        done=done,
    )


@login_required
def hold_new(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_privacy(request.user, LegalHold)
    person = services.get_person_for_privacy(request.user, person_id)
    form = LegalHoldForm(request.POST or None)

    def save() -> LegalHold:
        data = form.cleaned_data
        return services.legal_hold_set(
            actor=request.user, person=person, reason=data["reason"], until=data["until"]
        )

    def done(hold: LegalHold) -> HttpResponse:
        messages.success(request, _("Die Löschsperre ist gesetzt."))
        return redirect("privacy:erasure_list")

    return form_page(
        request, form, show=page(request, "privacy/hold_form.html", person=person), save=save, done=done
    )


@login_required
def hold_lift(request: HttpRequest, hold_id: int) -> HttpResponse:
    hold = selectors.get_hold_for(request.user, hold_id)
    _require_privacy(request.user, hold)
    form = LiftHoldForm(request.POST or None)

    def save() -> LegalHold:
        return services.legal_hold_lift(
            actor=request.user, hold=hold, reason=form.cleaned_data["lift_reason"]
        )

    def done(lifted: LegalHold) -> HttpResponse:
        messages.success(request, _("Die Löschsperre ist aufgehoben."))
        return redirect("privacy:erasure_list")

    return form_page(
        request, form, show=page(request, "privacy/hold_lift.html", hold=hold), save=save, done=done
    )


# --- requests of persons about their data (rectification, restriction) ------------------------


@login_required
def subject_request_list(request: HttpRequest) -> HttpResponse:
    """Open requests by deadline (one month, Art. 12 (3) GDPR), then the decided ones."""
    access.require(request.user, "list", SubjectRequest)
    open_requests = list(selectors.open_subject_requests(request.user)[:500])
    audit_list(actor=request.user, rows=open_requests)
    decided = keyset_page(
        request, selectors.decided_subject_requests(request.user), ordering=("-decided_on", "-pk")
    )
    return render(
        request,
        "privacy/subject_request_list.html",
        {"open_requests": open_requests, "page": decided, "today": timezone.localdate()},
    )


@login_required
def subject_request_create(request: HttpRequest, person_id: int) -> HttpResponse:
    access.require(request.user, "list", SubjectRequest)
    person = selectors.person_for_subject_access(request.user, person_id)
    form = SubjectRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})

    def done(created: SubjectRequest) -> HttpResponse:
        messages.success(
            request,
            _("Der Antrag ist erfasst; zu beantworten bis %(date)s.")
            % {"date": created.due_on.strftime("%d.%m.%Y")},
        )
        return redirect("privacy:subject_request_detail", created.pk)

    return form_page(
        request,
        form,
        show=page(request, "privacy/subject_request_form.html", person=person),
        save=lambda: services.subject_request_create(
            actor=request.user,
            person=person,
            kind=form.cleaned_data["kind"],
            received_on=form.cleaned_data["received_on"],
            description=form.cleaned_data["description"],
        ),
        done=done,
    )


@login_required
def subject_request_detail(request: HttpRequest, subject_request_id: int) -> HttpResponse:
    """The request, and (while open) the decision."""
    subject_request = selectors.get_subject_request_for(request.user, subject_request_id)
    can_decide = subject_request.status == SubjectRequest.Status.OPEN and access.can(
        request.user, "decide", subject_request
    )
    form = SubjectRequestDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST" and form is None:
        raise Http404

    def done(_decided: SubjectRequest) -> HttpResponse:
        messages.success(request, _("Die Entscheidung ist gespeichert."))
        return redirect("privacy:subject_request_detail", subject_request.pk)

    show = page(
        request,
        "privacy/subject_request_detail.html",
        subject_request=subject_request,
        today=timezone.localdate(),
    )
    if form is None:
        return show(None)
    return form_page(
        request,
        form,
        show=show,
        save=lambda: services.subject_request_decide(
            actor=request.user,
            request=subject_request,
            status=form.cleaned_data["status"],
            decision=form.cleaned_data["decision"],
            ground=form.cleaned_data["ground"],
        ),
        done=done,
    )
