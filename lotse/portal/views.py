"""The public pages (no login, nothing personal) and the editors' pages (translations, which
activities are public)."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lotse.accounts.models import Organisation
from lotse.core import access
from lotse.core.pages import form_page, page, version_of
from lotse.neighbourhood import services as office_services
from lotse.neighbourhood.models import Activity
from lotse.portal import feeds, selectors, services
from lotse.portal.forms import PartnerForm, PortalForm, PublishForm, RemoveForm, TranslationForm
from lotse.portal.languages import BY_CODE, LANGUAGES, SOURCE, TARGETS
from lotse.portal.languages import language as language_of
from lotse.portal.models import Portal, PortalPartner
from lotse.portal.texts import Status

MONTH_PARAM = "monat"


# --- public pages --------------------------------------------------------------------------------


def _portal(request: HttpRequest, portal_key: str | None) -> Portal:
    if portal_key is not None:
        return selectors.published_portal(key=portal_key)
    return selectors.published_portal(host=request.get_host())


def _url(portal_key: str | None, name: str, language: str, **kwargs: Any) -> str:
    if portal_key is None:
        return reverse(f"portal:host_{name}", kwargs={"language": language, **kwargs})
    return reverse(f"portal:{name}", kwargs={"portal_key": portal_key, "language": language, **kwargs})


class Links:
    """The portal's page addresses in one language, for the templates."""

    def __init__(self, portal_key: str | None, language: str) -> None:
        self.portal_key = portal_key
        self.language = language

    def __getattr__(self, name: str) -> str:
        try:
            return _url(self.portal_key, name, self.language)
        except NoReverseMatch:
            raise AttributeError(name) from None

    def activity(self, activity_id: int) -> str:
        return _url(self.portal_key, "activity", self.language, activity_id=activity_id)

    def activity_feed(self, activity_id: int) -> str:
        return _url(self.portal_key, "activity_feed", self.language, activity_id=activity_id)


def _switcher(request: HttpRequest, current: str) -> list[dict[str, Any]]:
    """The same page in every language, each named in itself."""
    match = request.resolver_match
    assert match is not None
    query = request.GET.urlencode()
    links = []
    for language in LANGUAGES:
        kwargs = {**match.kwargs, "language": language.code}
        url = reverse(match.view_name, kwargs=kwargs) + (f"?{query}" if query else "")
        links.append({"language": language, "url": url, "current": language.code == current})
    return links


def _render(
    request: HttpRequest, portal: Portal, language: str, portal_key: str | None, template: str, **context: Any
) -> HttpResponse:
    info = language_of(language)
    with translation.override(language):
        texts = selectors.texts([portal], language)
        response = render(
            request,
            template,
            {
                "portal": portal,
                "portal_text": {name: texts.get(portal, name) for name in ("intro", "opening_hours")},
                "lang": info,
                "links": Links(portal_key, language),
                "languages": _switcher(request, language),
                "source_language": language_of(SOURCE),
                **context,
            },
        )
    response["Content-Language"] = info.tag
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def start(request: HttpRequest, language: str, portal_key: str | None = None) -> HttpResponse:
    portal = _portal(request, portal_key)
    activities = selectors.public_activities(portal)
    today = selectors.today()
    dates = selectors.dates_between(activities, today, today + dt.timedelta(days=13))
    return _render(
        request,
        portal,
        language,
        portal_key,
        "portal/start.html",
        dates=dates[:6],
        texts=selectors.texts(activities, language),
    )


def _month(request: HttpRequest) -> dt.date | None:
    value = request.GET.get(MONTH_PARAM, "")
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise Http404 from None


@require_GET
def calendar(request: HttpRequest, language: str, portal_key: str | None = None) -> HttpResponse:
    """The activities' dates: the next weeks as a list, or one month (``?monat=2026-12``)."""
    portal = _portal(request, portal_key)
    activities = selectors.public_activities(portal)
    today = selectors.today()
    month = _month(request)
    context: dict[str, Any] = {"texts": selectors.texts(activities, language), "today": today}
    if month is None:
        end = today + dt.timedelta(weeks=selectors.WEEKS_AHEAD)
        dates = selectors.dates_between(activities, today, end)
        context |= {"view": "list", "dates": dates, "start": today, "end": end, "month": today.replace(day=1)}
    else:
        last = month.replace(day=calendar_module.monthrange(month.year, month.month)[1])
        dates = selectors.dates_between(activities, month, last)
        by_day: dict[dt.date, list[Any]] = {}
        for date in dates:
            by_day.setdefault(date.starts_at.date(), []).append(date)
        weeks = [
            [{"day": day, "in_month": day.month == month.month, "dates": by_day.get(day, [])} for day in week]
            for week in calendar_module.Calendar().monthdatescalendar(month.year, month.month)
        ]
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        context |= {
            "view": "month",
            "month": month,
            "weeks": weeks,
            "dates": dates,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
        }
    return _render(request, portal, language, portal_key, "portal/calendar.html", **context)


@require_GET
def activity(
    request: HttpRequest, language: str, activity_id: int, portal_key: str | None = None
) -> HttpResponse:
    portal = _portal(request, portal_key)
    found = selectors.public_activity(portal, activity_id)
    today = selectors.today()
    dates = selectors.dates_between([found], today, today + dt.timedelta(weeks=selectors.WEEKS_AHEAD))
    return _render(
        request,
        portal,
        language,
        portal_key,
        "portal/activity.html",
        activity=found,
        dates=dates,
        texts=selectors.texts([found], language),
    )


@require_GET
def hours(request: HttpRequest, language: str, portal_key: str | None = None) -> HttpResponse:
    portal = _portal(request, portal_key)
    today = selectors.today()
    end = today + dt.timedelta(weeks=selectors.WEEKS_AHEAD)
    return _render(
        request,
        portal,
        language,
        portal_key,
        "portal/hours.html",
        hours=selectors.consultation_hours(portal, today, end),
        start=today,
        end=end,
    )


@require_GET
def partners(request: HttpRequest, language: str, portal_key: str | None = None) -> HttpResponse:
    portal = _portal(request, portal_key)
    found = selectors.partners_of(portal)
    return _render(
        request,
        portal,
        language,
        portal_key,
        "portal/partners.html",
        partners=found,
        texts=selectors.texts(found, language),
    )


@require_GET
def materials(request: HttpRequest, language: str, portal_key: str | None = None) -> HttpResponse:
    """Material in the reader's language first, then the rest (each in its own language); the
    titles translated like every public text."""
    portal = _portal(request, portal_key)
    found = selectors.materials_of(portal)
    records = selectors.material_records(found)
    short = language.split("-")[0]
    own = [(material, records[material.material_id]) for material in found if material.language == short]
    # Each other language named in itself, as the language switcher names it.
    other = [
        (
            material,
            records[material.material_id],
            BY_CODE[material.language].name if material.language in BY_CODE else material.language,
        )
        for material in found
        if material.language != short
    ]
    return _render(
        request,
        portal,
        language,
        portal_key,
        "portal/materials.html",
        own=own,
        other=other,
        texts=selectors.texts(records.values(), language),
    )


def _feed_response(request: HttpRequest, body: bytes, changed: dt.datetime, filename: str) -> HttpResponse:
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed.timestamp())
    response["Cache-Control"] = "public, max-age=900"
    return response


def _feed(
    request: HttpRequest, portal: Portal, language: str, activities: list[Any], filename: str
) -> HttpResponse:
    texts = selectors.texts(activities, language)
    changed = selectors.feed_changed_at(portal, activities)
    body = feeds.calendar_of(
        portal,
        activities,
        texts,
        uid_domain=f"{portal.key}.lotse",
        stamp=changed.astimezone(dt.UTC).replace(microsecond=0),
    )
    return _feed_response(request, body, changed, filename)


@require_GET
def feed(request: HttpRequest, language: str, portal_key: str | None = None) -> HttpResponse:
    portal = _portal(request, portal_key)
    return _feed(
        request, portal, language, selectors.public_activities(portal), f"{portal.key}-{language}.ics"
    )


@require_GET
def activity_feed(
    request: HttpRequest, language: str, activity_id: int, portal_key: str | None = None
) -> HttpResponse:
    portal = _portal(request, portal_key)
    found = selectors.public_activity(portal, activity_id)
    return _feed(request, portal, language, [found], f"angebot-{found.pk}-{language}.ics")


# --- editors -------------------------------------------------------------------------------------


@login_required
def staff_overview(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "translate", Portal)
    boards = selectors.overview(request.user)
    return render(
        request,
        "portal/staff/overview.html",
        {
            "portals": selectors.portals_edited_by(request.user),
            "can_open": selectors.organisation_opening_portal(request.user) is not None,
            "boards": [(language_of(board.language), board) for board in boards],
        },
    )


@login_required
def staff_language(request: HttpRequest, language: str) -> HttpResponse:
    access.require(request.user, "translate", Portal)
    if language not in TARGETS:
        raise Http404
    board = selectors.dashboard(request.user, language)
    wanted = request.GET.get("status", "")
    rows = [row for row in board.rows if not wanted or row.status == wanted]
    return render(
        request,
        "portal/staff/language.html",
        {
            "lang": language_of(language),
            "board": board,
            "rows": rows,
            "wanted": wanted,
            "statuses": Status,
        },
    )


@login_required
def staff_translate(request: HttpRequest, language: str, text_key: str) -> HttpResponse:
    text = selectors.get_text_for(request.user, language, text_key)
    existing = text.translation
    form = TranslationForm(
        request.POST or None,
        initial={
            "text": existing.text if existing else "",
            "version": existing.version if existing else None,
        },
    )
    # The text is typed in the target language (and direction); label and help stay German.
    target = language_of(language)
    form.fields["text"].widget.attrs |= {"lang": target.tag, "dir": target.direction}

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die Übersetzung ist gespeichert."))
        return redirect("portal:staff_language", language=language)

    return form_page(
        request,
        form,
        show=page(request, "portal/staff/translate.html", text=text, lang=language_of(language)),
        save=lambda: services.translation_save(
            actor=request.user,
            portal=text.portal,
            record=text.record,
            field=text.field,
            language=language,
            text=form.cleaned_data["text"],
            expected_version=version_of(form) if existing else None,
        ),
        done=done,
    )


@login_required
def staff_activities(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "publish", Activity)
    return render(
        request,
        "portal/staff/activities.html",
        {"activities": selectors.publishable_activities(request.user), "form": None},
    )


@login_required
@require_POST
def staff_publish(request: HttpRequest, activity_id: int) -> HttpResponse:
    found = selectors.get_publishable_activity(request.user, activity_id)
    form = PublishForm(request.POST)

    def done(result: Any) -> HttpResponse:
        if result.public:
            messages.success(
                request, _("„%(title)s“ steht jetzt auf den öffentlichen Seiten.") % {"title": result.title}
            )
        else:
            messages.success(request, _("„%(title)s“ ist nicht mehr öffentlich.") % {"title": result.title})
        return redirect("portal:staff_activities")

    return form_page(
        request,
        form,
        show=page(
            request,
            "portal/staff/activities.html",
            activities=selectors.publishable_activities(request.user),
            failed=found,
        ),
        save=lambda: office_services.activity_publish(
            actor=request.user, activity=found, public=form.cleaned_data["public"]
        ),
        done=done,
    )


def _portal_page(request: HttpRequest, portal: Portal | None) -> Any:
    return page(request, "portal/staff/portal_form.html", portal=portal)


@login_required
def staff_portal_new(request: HttpRequest) -> HttpResponse:
    """Create the public pages of one's organisation (not yet published unless ticked)."""
    access.require(request.user, "open_portal", Organisation)
    organisation = selectors.organisation_opening_portal(request.user)
    if organisation is None:
        messages.info(request, _("Ihre Organisation hat schon öffentliche Seiten."))
        return redirect("portal:staff_overview")
    form = PortalForm(request.POST or None, initial={"name": organisation.name})

    def done(result: Portal) -> HttpResponse:
        messages.success(
            request,
            _("Die öffentlichen Seiten „%(name)s“ sind angelegt.") % {"name": result.name}
            + (" " + _("Sie sind noch nicht veröffentlicht.") if not result.published else ""),
        )
        return redirect("portal:staff_overview")

    return form_page(
        request,
        form,
        show=_portal_page(request, None),
        save=lambda: services.portal_create(
            actor=request.user, organisation=organisation, data=form.service_data()
        ),
        done=done,
    )


@login_required
def staff_portal(request: HttpRequest, portal_id: int) -> HttpResponse:
    """The portal's address and its own German texts: name, greeting, opening hours, published."""
    portal = selectors.get_portal_for(request.user, portal_id)
    form = PortalForm(
        request.POST or None,
        initial={**{name: getattr(portal, name) for name in PortalForm.FIELDS}, "version": portal.version},
    )

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Die öffentlichen Seiten sind gespeichert."))
        return redirect("portal:staff_overview")

    return form_page(
        request,
        form,
        show=_portal_page(request, portal),
        save=lambda: services.portal_update(
            actor=request.user, portal=portal, data=form.service_data(), expected_version=version_of(form)
        ),
        done=done,
        current=lambda: selectors.get_portal_for(request.user, portal_id),
    )


@login_required
def staff_partners(request: HttpRequest, portal_id: int) -> HttpResponse:
    portal = selectors.get_portal_for(request.user, portal_id)
    return render(
        request,
        "portal/staff/partners.html",
        {"portal": portal, "partners": selectors.partners_edited_by(request.user, portal)},
    )


@login_required
def staff_partner_new(request: HttpRequest, portal_id: int) -> HttpResponse:
    portal = selectors.get_portal_for(request.user, portal_id)
    form = PartnerForm(request.POST or None, organisations=selectors.partner_choices(portal))

    def done(result: PortalPartner) -> HttpResponse:
        messages.success(
            request,
            _("%(organisation)s steht jetzt im Partnerverzeichnis.") % {"organisation": result.organisation},
        )
        return redirect("portal:staff_partners", portal.pk)

    return form_page(
        request,
        form,
        show=page(request, "portal/staff/partner_form.html", portal=portal, partner=None),
        save=lambda: services.partner_create(actor=request.user, portal=portal, data=form.service_data()),
        done=done,
    )


@login_required
def staff_partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = selectors.get_partner_for(request.user, partner_id)
    form = PartnerForm(
        request.POST or None,
        organisations=selectors.partner_choices(partner.portal),
        initial={
            "organisation": partner.organisation_id,
            "description": partner.description,
            "website": partner.website,
            "version": partner.version,
        },
    )

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Der Eintrag im Partnerverzeichnis ist gespeichert."))
        return redirect("portal:staff_partners", partner.portal_id)

    return form_page(
        request,
        form,
        show=page(request, "portal/staff/partner_form.html", portal=partner.portal, partner=partner),
        save=lambda: services.partner_update(
            actor=request.user, partner=partner, data=form.service_data(), expected_version=version_of(form)
        ),
        done=done,
        current=lambda: selectors.get_partner_for(request.user, partner_id),
    )


@login_required
def staff_partner_remove(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Asks first (GET), removes on POST: the entry and the translations of its offer."""
    partner = selectors.get_partner_for(request.user, partner_id)
    form = RemoveForm(request.POST or None, initial={"version": partner.version})

    def done(_result: Any) -> HttpResponse:
        messages.success(
            request,
            _("%(organisation)s steht nicht mehr im Partnerverzeichnis.")
            % {"organisation": partner.organisation},
        )
        return redirect("portal:staff_partners", partner.portal_id)

    return form_page(
        request,
        form,
        show=page(request, "portal/staff/partner_remove.html", portal=partner.portal, partner=partner),
        save=lambda: services.partner_delete(
            actor=request.user, partner=partner, expected_version=version_of(form)
        ),
        done=done,
    )
