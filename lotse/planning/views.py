"""Pages of steering: the concept and its versions, measures, indicators, population figures,
round tables, funding and posts. Thin: a selector, a form, one service call by ``form_page``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.core import access
from lotse.core.pages import form_page, page, paginate, version_of
from lotse.planning import indicators, selectors, services
from lotse.planning.forms import (
    ActionForm,
    ConceptForm,
    ContinueForm,
    DeadlineForm,
    DoneForm,
    GrantForm,
    IndicatorForm,
    MeasureForm,
    ParticipationForm,
    PopulationForm,
    PostForm,
    ProgrammeForm,
    RoundTableForm,
    SubmittedForm,
    TargetForm,
    ValueForm,
    VersionForm,
)
from lotse.planning.models import Concept, ConceptVersion, PlanningMeasure

# --- concept -----------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Concept)
    context = {
        "concepts": list(selectors.concepts_visible_to(request.user)),
        "indicators": list(selectors.indicators_visible_to(request.user)[:50]),
        "round_tables": list(selectors.round_tables_visible_to(request.user)[:5]),
        "may_plan": access.can(request.user, "plan", Concept),
    }
    return render(request, "planning/overview.html", context)


@login_required
def concept_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "plan", Concept)
    form = ConceptForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(
            request, "planning/form.html", title=_("Neues Integrationskonzept"), back="planning:overview"
        ),
        save=lambda: services.concept_create(
            actor=request.user, organisation=selectors.own_organisation(request.user), **form.cleaned_data
        ),
        done=lambda version: redirect("planning:version_detail", version.pk),
    )


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, version_id)
    context = {
        "version": version,
        "fields": selectors.fields_of(version),
        "versions": selectors.versions_of(version),
        "participation": list(version.participation.all()),
        "may_edit": version.editable and access.can(request.user, "edit", version),
    }
    return render(request, "planning/version_detail.html", context)


@login_required
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, version_id, "edit")
    initial = {name: getattr(version, name) for name in services.VERSION_FIELDS} | {
        "version": version.version
    }
    form = VersionForm(request.POST or None, initial=initial)

    def save() -> ConceptVersion:
        data = {name: form.cleaned_data[name] for name in services.VERSION_FIELDS}
        return services.version_update(
            actor=request.user, version=version, data=data, expected_version=version_of(form)
        )

    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Fassung bearbeiten: %(label)s") % {"label": version.label},
            back_url=version.pk,
            back="planning:version_detail",
        ),
        save=save,
        done=lambda saved: redirect("planning:version_detail", saved.pk),
        current=lambda: selectors.get_version_for(request.user, version_id),
    )


@login_required
def version_continue(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, version_id, "edit")
    form = ContinueForm(request.POST or None)

    def done(new: ConceptVersion) -> HttpResponse:
        messages.success(request, _("Die Fortschreibung ist angelegt; die bisherige Fassung bleibt lesbar."))
        return redirect("planning:version_detail", new.pk)

    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Konzept fortschreiben"),
            intro=_(
                "Die neue Fassung übernimmt Handlungsfelder, Ziele und Maßnahmen. Die bisherige Fassung "
                "„%(label)s“ bleibt unverändert lesbar."
            )
            % {"label": version.label},
            back_url=version.pk,
            back="planning:version_detail",
        ),
        save=lambda: services.version_continue(actor=request.user, version=version, **form.cleaned_data),
        done=done,
    )


@login_required
def participation_new(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, version_id, "edit")
    form = ParticipationForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Beteiligungsschritt eintragen"),
            back_url=version.pk,
            back="planning:version_detail",
        ),
        save=lambda: services.participation_add(actor=request.user, version=version, **form.cleaned_data),
        done=lambda _step: redirect("planning:version_detail", version.pk),
    )


# --- measures ----------------------------------------------------------------------------------


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", PlanningMeasure)
    measures = paginate(request, selectors.measures_visible_to(request.user), size=50)
    return render(request, "planning/measure_list.html", {"page": measures})


@login_required
def measure_new(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.get_version_for(request.user, version_id, "edit")
    choices = selectors.measure_choices(request.user, version)
    initial = {"field": request.GET.get("feld"), "responsible": version.concept.organisation_id}
    form = MeasureForm(request.POST or None, initial=initial, **choices)

    def save() -> PlanningMeasure:
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"field", "version"}}
        return services.measure_create(actor=request.user, field=form.cleaned_data["field"], **data)

    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Neue Maßnahme"),
            back_url=version.pk,
            back="planning:version_detail",
        ),
        save=save,
        done=lambda measure: redirect("planning:measure_detail", measure.pk),
    )


@login_required
def measure_detail(request: HttpRequest, plan_measure_id: int) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, plan_measure_id)
    context = {
        "measure": measure,
        "may_edit": measure.field.version.editable and access.can(request.user, "edit", measure),
        "may_see_version": access.can(request.user, "view", measure.field.version),
    }
    return render(request, "planning/measure_detail.html", context)


@login_required
def measure_edit(request: HttpRequest, plan_measure_id: int) -> HttpResponse:
    measure = selectors.get_measure_for(request.user, plan_measure_id, "edit")
    version = measure.field.version
    names = [name for name in services.MEASURE_FIELDS]
    initial = {name: getattr(measure, name) for name in names} | {
        "field": measure.field,
        "version": measure.version,
    }
    form = MeasureForm(
        request.POST or None, initial=initial, **selectors.measure_choices(request.user, version)
    )
    form.fields["field"].disabled = True

    def save() -> PlanningMeasure:
        data = {name: form.cleaned_data[name] for name in names}
        return services.measure_update(
            actor=request.user, measure=measure, data=data, expected_version=version_of(form)
        )

    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Maßnahme bearbeiten: %(title)s") % {"title": measure.title},
            back_url=measure.pk,
            back="planning:measure_detail",
        ),
        save=save,
        done=lambda saved: redirect("planning:measure_detail", saved.pk),
        current=lambda: selectors.get_measure_for(request.user, plan_measure_id),
    )


# --- indicators --------------------------------------------------------------------------------


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Concept)
    today = timezone.localdate()
    rows = [
        (indicator, selectors.latest(indicator, today))
        for indicator in selectors.indicators_visible_to(request.user)
    ]
    context = {"rows": rows, "may_plan": access.can(request.user, "plan", Concept)}
    return render(request, "planning/indicator_list.html", context)


@login_required
def indicator_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "plan", Concept)
    form = IndicatorForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Neue Kennzahl (Werte werden eingetragen)"),
            intro=_(
                "Kennzahlen, die Lotse aus seinen Daten berechnet, richtet der Bauplan ein. Hier legen Sie "
                "Kennzahlen an, deren Werte Sie mit ihrer Quelle eintragen."
            ),
            back="planning:indicator_list",
        ),
        save=lambda: services.indicator_create(
            actor=request.user, organisation=selectors.own_organisation(request.user), **form.cleaned_data
        ),
        done=lambda indicator: redirect("planning:indicator_detail", indicator.pk),
    )


def _indicator_page(request: HttpRequest, indicator_id: int, **forms: Any) -> Any:
    indicator = selectors.get_indicator_for(request.user, indicator_id)
    may_edit = access.can(request.user, "edit", indicator)

    def show(form: Any = None, **extra: Any) -> HttpResponse:
        context = {
            "indicator": indicator,
            "series": selectors.series(indicator, timezone.localdate()),
            "targets": selectors.targets_of(indicator),
            "explanation": indicators.explanation(indicator.code),
            "may_edit": may_edit,
            "target_form": TargetForm(),
            "value_form": ValueForm(),
            **forms,
            **extra,
        }
        return render(request, "planning/indicator_detail.html", context)

    return indicator, show


@login_required
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    _indicator, show = _indicator_page(request, indicator_id)
    return show()


@login_required
@require_POST
def target_new(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator, show = _indicator_page(request, indicator_id)
    form = TargetForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form=None, **extra: show(target_form=form, **extra),
        save=lambda: services.target_set(actor=request.user, indicator=indicator, **form.cleaned_data),
        done=lambda _target: redirect("planning:indicator_detail", indicator.pk),
    )


@login_required
@require_POST
def value_new(request: HttpRequest, indicator_id: int) -> HttpResponse:
    indicator, show = _indicator_page(request, indicator_id)
    form = ValueForm(request.POST)
    return form_page(
        request,
        form,
        show=lambda form=None, **extra: show(value_form=form, **extra),
        save=lambda: services.value_enter(actor=request.user, indicator=indicator, **form.cleaned_data),
        done=lambda _value: redirect("planning:indicator_detail", indicator.pk),
    )


@login_required
def population(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Concept)
    may_plan = access.can(request.user, "plan", Concept)
    form = PopulationForm(request.POST or None)
    if request.method == "POST" and not may_plan:
        access.require(request.user, "plan", Concept)
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/population.html",
            figures=list(selectors.population_figures(request.user)),
            may_plan=may_plan,
        ),
        save=lambda: services.population_figure_set(
            actor=request.user, organisation=selectors.own_organisation(request.user), **form.cleaned_data
        ),
        done=lambda _figure: redirect("planning:population"),
    )


# --- round tables ------------------------------------------------------------------------------


@login_required
def round_table_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Concept)
    context = {
        "page": paginate(request, selectors.round_tables_visible_to(request.user)),
        "may_plan": access.can(request.user, "plan", Concept),
    }
    return render(request, "planning/round_table_list.html", context)


@login_required
def round_table_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "plan", Concept)
    form = RoundTableForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(
            request, "planning/form.html", title=_("Runden Tisch eintragen"), back="planning:round_table_list"
        ),
        save=lambda: services.round_table_create(
            actor=request.user, organisation=selectors.own_organisation(request.user), **form.cleaned_data
        ),
        done=lambda table: redirect("planning:round_table_detail", table.pk),
    )


def _round_table_show(request: HttpRequest, round_table: Any) -> Any:
    def show(form: Any = None, **extra: Any) -> HttpResponse:
        context = {
            "round_table": round_table,
            "actions": selectors.actions_of(round_table),
            "may_edit": access.can(request.user, "edit", round_table),
            "action_form": form or ActionForm(staff=selectors.staff_for_actions(request.user)),
            "today": timezone.localdate(),
            **extra,
        }
        return render(request, "planning/round_table_detail.html", context)

    return show


@login_required
def round_table_detail(request: HttpRequest, round_table_id: int) -> HttpResponse:
    round_table = selectors.get_round_table_for(request.user, round_table_id)
    return _round_table_show(request, round_table)()


@login_required
@require_POST
def action_new(request: HttpRequest, round_table_id: int) -> HttpResponse:
    round_table = selectors.get_round_table_for(request.user, round_table_id, "edit")
    form = ActionForm(request.POST, staff=selectors.staff_for_actions(request.user))
    return form_page(
        request,
        form,
        show=_round_table_show(request, round_table),
        save=lambda: services.action_add(actor=request.user, round_table=round_table, **form.cleaned_data),
        done=lambda _action: redirect("planning:round_table_detail", round_table.pk),
    )


@login_required
def my_actions(request: HttpRequest, problem: Any = None) -> HttpResponse:
    """The user's own open action items from round tables, to mark them done."""
    context = {
        "actions": selectors.open_actions_of(request.user, None),
        "today": timezone.localdate(),
        "problem": problem,
    }
    return render(request, "planning/my_actions.html", context, status=400 if problem else 200)


@login_required
@require_POST
def action_done(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.get_action_for(request.user, item_id)
    form = DoneForm(request.POST)
    own = item.owner_id == request.user.pk

    def done(_saved: Any) -> HttpResponse:
        messages.success(request, _("Die Aufgabe ist als erledigt vermerkt."))
        if own:
            return redirect("planning:my_actions")
        return redirect("planning:round_table_detail", item.round_table_id)

    def show(form: Any = None, **extra: Any) -> HttpResponse:
        if own:
            return my_actions(request, problem=form)
        return _round_table_show(request, item.round_table)(problem=form, **extra)

    return form_page(
        request,
        form,
        show=show,
        save=lambda: services.action_done(actor=request.user, action=item, **form.cleaned_data),
        done=done,
    )


# --- funding -----------------------------------------------------------------------------------


@login_required
def funding(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "list", Concept)
    context = {
        "programmes": selectors.programmes_visible_to(request.user),
        "posts": list(selectors.posts_visible_to(request.user)),
        "may_plan": access.can(request.user, "plan", Concept),
        "today": timezone.localdate(),
    }
    return render(request, "planning/funding.html", context)


@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "plan", Concept)
    form = ProgrammeForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(request, "planning/form.html", title=_("Neues Förderprogramm"), back="planning:funding"),
        save=lambda: services.programme_create(
            actor=request.user, organisation=selectors.own_organisation(request.user), **form.cleaned_data
        ),
        done=lambda _programme: redirect("planning:funding"),
    )


@login_required
def grant_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = selectors.get_programme_for(request.user, programme_id, "edit")
    form = GrantForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Neue Zuwendung aus „%(name)s“") % {"name": programme.name},
            back="planning:funding",
        ),
        save=lambda: services.grant_create(actor=request.user, programme=programme, **form.cleaned_data),
        done=lambda _grant: redirect("planning:funding"),
    )


@login_required
def post_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "plan", Concept)
    form = PostForm(request.POST or None, grants=selectors.grants_visible_to(request.user))
    return form_page(
        request,
        form,
        show=page(request, "planning/form.html", title=_("Neue Stelle"), back="planning:funding"),
        save=lambda: services.post_create(
            actor=request.user, organisation=selectors.own_organisation(request.user), **form.cleaned_data
        ),
        done=lambda _post: redirect("planning:funding"),
    )


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post_for(request.user, post_id, "edit")
    names = ["title", "holder_name", "fte", "starts_on", "ends_on"]
    form = PostForm(
        request.POST or None,
        initial={name: getattr(post, name) for name in names} | {"grant": post.grant},
        grants=selectors.grants_visible_to(request.user),
    )
    form.fields["grant"].disabled = True
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Stelle bearbeiten: %(title)s") % {"title": post.title},
            back="planning:funding",
        ),
        save=lambda: services.post_update(
            actor=request.user, post=post, data={name: form.cleaned_data[name] for name in names}
        ),
        done=lambda _post: redirect("planning:funding"),
    )


@login_required
def deadline_new(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.get_grant_for(request.user, grant_id, "edit")
    form = DeadlineForm(request.POST or None)
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Berichtsfrist zu „%(title)s“") % {"title": grant.title},
            back="planning:funding",
        ),
        save=lambda: services.deadline_create(actor=request.user, grant=grant, **form.cleaned_data),
        done=lambda _deadline: redirect("planning:funding"),
    )


@login_required
def deadline_submitted(request: HttpRequest, deadline_id: int) -> HttpResponse:
    deadline = selectors.get_deadline_for(request.user, deadline_id, "edit")
    form = SubmittedForm(request.POST or None, initial={"submitted_on": timezone.localdate()})
    return form_page(
        request,
        form,
        show=page(
            request,
            "planning/form.html",
            title=_("Eingereicht: %(title)s") % {"title": deadline.title},
            back="planning:funding",
        ),
        save=lambda: services.deadline_submitted(actor=request.user, deadline=deadline, **form.cleaned_data),
        done=lambda _deadline: redirect("planning:funding"),
    )
