from __future__ import annotations

from typing import Any, cast

import qrcode
import qrcode.image.svg
from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lotse.accounts import policy, selectors, services
from lotse.accounts.forms import (
    ArrangementEndForm,
    JointArrangementForm,
    LoginForm,
    MembershipForm,
    TechnicalAccountForm,
    TokenForm,
    UserCreateForm,
)
from lotse.accounts.models import JointArrangement, Organisation, Unit, User
from lotse.accounts.roles import Role
from lotse.core import access, agenda
from lotse.core.models import AuditEvent
from lotse.core.pages import form_page


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view below is behind ``login_required``)."""
    return cast(User, request.user)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed_record(actor=form.user, user=form.user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Sends the reset link, at most a few times an hour per address and per client."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        limit = services.password_reset_request(
            email=form.cleaned_data["email"], ip_address=get_client_ip_address(self.request)
        )
        if limit == "ip":
            form.add_error(
                None,
                _(
                    "Von Ihrem Gerät oder Netz wurden in der letzten Stunde zu viele Links zum "
                    "Zurücksetzen angefordert. Bitte versuchen Sie es in einer Stunde erneut oder "
                    "wenden Sie sich an Ihre Administration."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if limit == "address":
            return redirect(self.get_success_url())  # the same answer as a sent mail
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Not logged in: the person proved who they are with the e-mailed link.
        services.password_changed_record(actor=None, user=form.user)
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("accounts:home")


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Second step of the login: the code from the authenticator app."""
    device = selectors.confirmed_device_of(request.user)
    if device is None:
        return redirect("accounts:second_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, throttled = services.second_factor_check(
            actor=_user(request), device=device, token=form.cleaned_data["token"]
        )
        if accepted:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error(
            "token",
            _("Zu viele falsche Codes. Bitte warten Sie einen Moment und versuchen Sie es erneut.")
            if throttled
            else _("Der Code stimmt nicht oder ist abgelaufen. Bitte geben Sie den aktuellen Code ein."),
        )
    return render(request, "accounts/second_factor.html", {"form": form, "next": _safe_next(request)})


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code, confirm with one code."""
    if selectors.confirmed_device_of(request.user) is not None:
        return redirect("accounts:second_factor")
    device = services.second_factor_device_start(actor=_user(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.second_factor_confirm(
            actor=_user(request), device=device, token=form.cleaned_data["token"]
        ):
            otp_login(request, device)
            messages.success(request, _("Der zweite Faktor ist eingerichtet."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Der Code stimmt nicht. Bitte prüfen Sie die Uhrzeit Ihres Telefons."))
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode").split("?>", 1)[-1]
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(svg),  # noqa: S308 (SVG drawn by qrcode from our own URL)
            "secret": secret,
            "next": _safe_next(request),
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """„Meine Arbeit“: what is overdue, waits for an answer or is due this week (each app
    contributes its part through ``lotse.core.agenda``), then the person's units and roles."""
    memberships = selectors.memberships_of(request.user)
    units = selectors.units_with_organisations(request.user)
    own_unit_ids = {m.unit_id for m in memberships}
    today = timezone.localdate()
    return render(
        request,
        "accounts/home.html",
        {
            "agenda": agenda.agenda_for(request.user, today),
            "today": today,
            "memberships": memberships,
            "own_units": [u for u in units if u.pk in own_unit_ids],
            "other_units": [u for u in units if u.pk not in own_unit_ids],
            "reads_audit_trail": access.can(request.user, "list", AuditEvent),
            "administers": access.can(request.user, "administer", Organisation),
        },
    )


def _unit_context(request: HttpRequest, unit: Unit, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    joint = len(unit.organisations.all()) > 1  # only such a unit has arrangements
    arrangements = selectors.arrangements_of(user, unit) if joint else []
    today = timezone.localdate()
    rows = []
    for arrangement in arrangements:
        state = arrangement.state_on(today)
        own = [c for c in arrangement.confirmations.all() if c.organisation_id == user.organisation_id]
        bound = forms.get("end_form") if forms.get("end_of") == arrangement.pk else None
        rows.append(
            {
                "arrangement": arrangement,
                "state": state,
                "state_label": JointArrangement.STATES[state],
                "to_confirm": bool(own and own[0].confirmed_at is None),
                "may_change": access.can(user, "confirm", arrangement),
                "end_form": bound or ArrangementEndForm(prefix=f"ende-{arrangement.pk}"),
            }
        )
    may_arrange = joint and access.can(user, "arrange", unit)
    new_form = forms.get("arrangement_form") or (
        JointArrangementForm(unit=unit, prefix="neu") if may_arrange else None
    )
    return {
        "unit": unit,
        "members": list(selectors.unit_members(unit)),
        "to_approve": [m for m in selectors.roles_to_approve(user) if m.unit_id == unit.pk],
        "arrangements": rows,
        "joint": joint,
        "arrangement_form": new_form,
    }


@login_required
def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = selectors.get_unit_for(request.user, slug)
    return render(request, "accounts/unit_detail.html", _unit_context(request, unit))


def _unit_page(request: HttpRequest, unit: Unit, name: str, **more: Any) -> Any:
    def show(form: Any = None, **extra: Any) -> HttpResponse:
        return render(
            request, "accounts/unit_detail.html", _unit_context(request, unit, **{name: form}, **more)
        )

    return show


@login_required
@require_POST
def arrangement_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Record the unit's joint-controller arrangement, confirmed for one's own organisation."""
    unit = selectors.get_unit_for(request.user, slug)
    access.require(request.user, "arrange", unit)
    form = JointArrangementForm(request.POST, unit=unit, prefix="neu")

    def done(arrangement: JointArrangement) -> HttpResponse:
        messages.success(
            request,
            _(
                "Die Vereinbarung ist erfasst und für Ihre Organisation bestätigt. Sie gilt, sobald "
                "jede beteiligte Organisation sie bestätigt hat."
            ),
        )
        return redirect("accounts:unit_detail", unit.slug)

    return form_page(
        request,
        form,
        show=_unit_page(request, unit, "arrangement_form"),
        save=lambda: services.joint_arrangement_record(actor=request.user, unit=unit, **form.cleaned_data),
        done=done,
    )


@login_required
@require_POST
def arrangement_confirm(request: HttpRequest, slug: str, arrangement_id: int) -> HttpResponse:
    unit = selectors.get_unit_for(request.user, slug)
    arrangement = selectors.get_arrangement_for(request.user, unit, arrangement_id)

    def done(_result: Any) -> HttpResponse:
        messages.success(request, _("Ihre Organisation hat die Vereinbarung bestätigt."))
        return redirect("accounts:unit_detail", unit.slug)

    return form_page(
        request,
        Form(request.POST),
        show=_unit_page(request, unit, "confirm_form"),
        save=lambda: services.joint_arrangement_confirm(actor=request.user, arrangement=arrangement),
        done=done,
    )


@login_required
@require_POST
def arrangement_end(request: HttpRequest, slug: str, arrangement_id: int) -> HttpResponse:
    unit = selectors.get_unit_for(request.user, slug)
    arrangement = selectors.get_arrangement_for(request.user, unit, arrangement_id)
    access.require(request.user, "confirm", arrangement)
    form = ArrangementEndForm(request.POST, prefix=f"ende-{arrangement.pk}")

    def done(ended: JointArrangement) -> HttpResponse:
        messages.success(
            request,
            _("Die Vereinbarung gilt bis einschließlich %(day)s.")
            % {"day": date_format(form.cleaned_data["valid_until"], "d.m.Y")},
        )
        return redirect("accounts:unit_detail", unit.slug)

    return form_page(
        request,
        form,
        show=_unit_page(request, unit, "end_form", end_of=arrangement.pk),
        save=lambda: services.joint_arrangement_end(
            actor=request.user, arrangement=arrangement, valid_until=form.cleaned_data["valid_until"]
        ),
        done=done,
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "has_device": selectors.confirmed_device_of(request.user) is not None,
            "needs_device": policy.requires_second_factor(request.user),
        },
    )


def _administration_context(request: HttpRequest, **forms: Any) -> dict[str, Any]:
    staff = selectors.staff_of(request.user)
    units = selectors.units_visible_to(request.user)
    others = staff.exclude(pk=_user(request).pk)  # nobody grants a role to themselves
    return {
        "organisations": list(selectors.organisations_administered_by(request.user)),
        "staff": list(staff),
        "units": list(units),
        "to_approve": list(selectors.roles_to_approve(request.user)),
        "user_form": forms.get("user_form") or UserCreateForm(),
        "technical_form": forms.get("technical_form") or TechnicalAccountForm(),
        "membership_form": forms.get("membership_form") or MembershipForm(users=others, units=units),
    }


@login_required
def administration(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "administer", Organisation)
    return render(request, "accounts/administration.html", _administration_context(request))


def _administration_page(request: HttpRequest) -> Any:
    def show(form: Any = None, **forms: Any) -> HttpResponse:
        return render(request, "accounts/administration.html", _administration_context(request, **forms))

    return show


@login_required
@require_POST
def administration_user_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "administer", Organisation)
    form = UserCreateForm(request.POST)

    def save() -> User:
        user = services.user_create(
            actor=request.user,
            organisation=_user(request).organisation,  # type: ignore[arg-type]
            password=None,
            **form.cleaned_data,
        )
        services.account_invitation_send(user=user, domain=request.get_host(), use_https=request.is_secure())
        return user

    def done(user: User) -> HttpResponse:
        messages.success(
            request,
            _("Konto „%(username)s“ angelegt. Die Person erhält eine E-Mail, um ihr Passwort festzulegen.")
            % {"username": user.username},
        )
        return redirect("accounts:administration")

    show = _administration_page(request)
    return form_page(request, form, show=lambda form, **extra: show(user_form=form), save=save, done=done)


@login_required
@require_POST
def administration_technical_account_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "administer", Organisation)
    form = TechnicalAccountForm(request.POST)

    def save() -> User:
        return services.technical_account_create(
            actor=request.user,
            organisation=_user(request).organisation,  # type: ignore[arg-type]
            **form.cleaned_data,
        )

    def done(user: User) -> HttpResponse:
        messages.success(
            request,
            _(
                "Technisches Konto „%(username)s“ angelegt. Es braucht noch eine Rolle; das Token "
                "gibt die Administration auf dem Server aus (manage.py issue_token)."
            )
            % {"username": user.username},
        )
        return redirect("accounts:administration")

    show = _administration_page(request)
    return form_page(
        request, form, show=lambda form, **extra: show(technical_form=form), save=save, done=done
    )


@login_required
@require_POST
def administration_membership_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "administer", Organisation)
    staff = selectors.staff_of(request.user)
    units = selectors.units_visible_to(request.user)
    form = MembershipForm(request.POST, users=staff, units=units)

    def done(membership: Any) -> HttpResponse:
        names = {"user": membership.user, "role": Role(membership.role).label, "unit": membership.unit}
        if membership.in_force:
            messages.success(request, _("%(user)s arbeitet jetzt als %(role)s in „%(unit)s“.") % names)
        else:
            messages.success(
                request,
                _(
                    "Die Rolle %(role)s für %(user)s in „%(unit)s“ ist vergeben. Sie wirkt, sobald eine "
                    "zweite Person sie freigibt: eine andere Administration oder die Teamleitung der Einheit."
                )
                % names,
            )
        return redirect("accounts:administration")

    show = _administration_page(request)
    return form_page(
        request,
        form,
        show=lambda form, **extra: show(membership_form=form),
        save=lambda: services.membership_create(actor=request.user, **form.cleaned_data),
        done=done,
    )


@login_required
@require_POST
def membership_approve(request: HttpRequest, membership_id: int) -> HttpResponse:
    """The second person's approval of a granted role (administration or unit lead)."""
    membership = selectors.get_role_to_approve(request.user, membership_id)
    back = request.POST.get("zurueck") == "einheit"

    def done(approved: Any) -> HttpResponse:
        messages.success(
            request,
            _("Freigegeben: %(user)s arbeitet jetzt als %(role)s in „%(unit)s“.")
            % {"user": approved.user, "role": Role(approved.role).label, "unit": approved.unit},
        )
        if back:
            return redirect("accounts:unit_detail", approved.unit.slug)
        return redirect("accounts:administration")

    return form_page(
        request,
        Form(request.POST),
        show=lambda form, **extra: redirect("accounts:administration"),
        save=lambda: services.membership_approve(actor=request.user, membership=membership),
        done=done,
    )


@login_required
@require_POST
def administration_membership_delete(request: HttpRequest, membership_id: int) -> HttpResponse:
    access.require(request.user, "administer", Organisation)
    membership = selectors.membership_administered_by(request.user, membership_id)

    def done(_result: Any) -> HttpResponse:
        messages.success(
            request,
            _("Die Rolle „%(role)s“ von %(user)s in „%(unit)s“ ist entfernt.")
            % {"role": Role(membership.role).label, "user": membership.user, "unit": membership.unit},
        )
        return redirect("accounts:administration")

    return form_page(
        request,
        Form(request.POST),
        show=lambda form, **extra: redirect("accounts:administration"),
        save=lambda: services.membership_delete(actor=request.user, membership=membership),
        done=done,
    )
