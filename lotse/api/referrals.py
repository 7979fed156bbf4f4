"""Referrals: list (all, inbox, outbox), detail, send, and the steps of their life as POST
sub-resources: accept, decline, start, complete, withdraw, check. Every step needs If-Match.

The receiving unit answers (accept, decline, start, complete), the sending unit withdraws
and records the later check; the services decide (403 for the other side).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from lotse.api.common import (
    ApiViewSet,
    IdField,
    RestrictedField,
    UnitRefSerializer,
    UserRefSerializer,
    query,
    resolve,
)
from lotse.api.errors import service_errors
from lotse.api.etags import audited_detail, expected_version, version_response
from lotse.cases.models import Referral, SharedPart
from lotse.cases.models.case import AssessmentDomain
from lotse.cases.selectors import case_files as case_selectors
from lotse.cases.selectors import consents as consent_selectors
from lotse.cases.selectors import persons as person_selectors
from lotse.cases.selectors import referrals as selectors
from lotse.cases.services import referrals as services


class ReferralSerializer(serializers.ModelSerializer):
    from_unit = UnitRefSerializer(read_only=True)
    to_unit = UnitRefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True, allow_null=True)
    restricted = RestrictedField("person")
    overdue = serializers.SerializerMethodField()
    shared = serializers.ListField(
        source="shared_parts", child=serializers.ChoiceField(choices=SharedPart.choices), read_only=True
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "status",
            "person",
            "restricted",
            "household",
            "case",
            "from_unit",
            "to_unit",
            "route",
            "reason",
            "decline_reason",
            "outcome",
            "due_date",
            "overdue",
            "legal_basis",
            "consent",
            "shared",
            "assessment_domains",
            "responded_at",
            "started_at",
            "done_at",
            "check_after_weeks",
            "check_due",
            "check_result",
            "check_note",
            "checked_at",
            "access_ended_at",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, referral: Referral) -> bool:
        return referral.is_open and referral.due_date is not None and referral.due_date < timezone.localdate()


class ReferralCreateSerializer(serializers.Serializer):
    person = IdField()
    from_unit = IdField(
        required=False, help_text="verweisende Einheit (nötig, wenn Sie in mehreren arbeiten)"
    )
    to_unit = IdField()
    reason = serializers.CharField(max_length=5000, help_text="Anlass der Verweisung")
    legal_basis = serializers.CharField(
        required=False, allow_blank=True, max_length=300, default="", help_text="z. B. „§ 34 Abs. 1 BMG“"
    )
    consent = IdField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    case = IdField(required=False, allow_null=True, default=None, help_text="Fallakte, die mitgegeben wird")
    shared = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedPart.choices),
        required=False,
        default=list,
        help_text="Was über Name, Geburtsdatum, Sprachen und Anlass hinaus mitgeht (Standard: nichts)",
    )
    assessment_domains = serializers.ListField(
        child=serializers.ChoiceField(choices=AssessmentDomain.choices),
        required=False,
        default=list,
        help_text="Bereiche der Einschätzung, die mitgehen (mit „assessment“ in shared)",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000)


# The filter's states: every status, and „open“ for all open ones.
STATUS_FILTER = [("open", _("offen (vorgeschlagen, angenommen, in Arbeit)")), *Referral.Status.choices]
# What the later check may record (the empty „noch offen“ is only the initial state).
CHECK_RESULTS = [choice for choice in Referral.CheckResult.choices if choice[0]]


class CheckSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CHECK_RESULTS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ReferralFilter(serializers.Serializer):
    box = serializers.ChoiceField(
        choices=[("inbox", _("Eingang")), ("outbox", _("Ausgang"))],
        required=False,
        help_text="inbox: an Ihre Einheiten; outbox: von Ihren Einheiten; ohne: beides",
    )
    status = serializers.ChoiceField(choices=STATUS_FILTER, required=False, help_text="open: alle offenen")


def referral_response(referral: Referral, *, created: bool = False) -> Response:
    return version_response(
        ReferralSerializer(referral).data, referral, created="referral" if created else ""
    )


def _one_of(name: str, units: list[Any], unit_id: int | None, *, missing: Any, refused: Any) -> Any:
    if unit_id is None and len(units) == 1:
        return units[0]
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        raise serializers.ValidationError({name: [missing if unit_id is None else refused]})
    return unit


@extend_schema_view(
    list=extend_schema(summary="Verweisungen, die Sie sehen dürfen", parameters=[ReferralFilter]),
    retrieve=extend_schema(summary="Eine Verweisung (der Zugriff wird protokolliert)"),
    create=extend_schema(
        summary="Verweisung schicken", request=ReferralCreateSerializer, responses={201: ReferralSerializer}
    ),
)
class ReferralViewSet(ApiViewSet):
    serializer_class = ReferralSerializer

    def list(self, request: Request) -> Response:
        filters = query(request, ReferralFilter)
        state = filters.get("status", "")
        if filters.get("box") == "inbox":
            referrals = selectors.referral_inbox(request.user, status=state)
        elif filters.get("box") == "outbox":
            referrals = selectors.referral_outbox(request.user, status=state)
        else:
            referrals = selectors.referrals_visible_to(request.user)
            if state == "open":
                referrals = referrals.filter(status__in=Referral.OPEN_STATES, access_ended_at__isnull=True)
            elif state:
                referrals = referrals.filter(status=state)
        referrals = referrals.select_related("from_unit", "to_unit", "created_by", "person")
        return self.paginated(request, referrals, ReferralSerializer)

    def retrieve(self, request: Request, pk: int) -> Response:
        referral = selectors.get_referral_for(request.user, pk)
        return audited_detail(request, referral, referral_response)

    def create(self, request: Request) -> Response:
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        person = resolve(
            "person",
            lambda: person_selectors.get_person_for_casework(user, values["person"]),
        )
        from_unit = _one_of(
            "from_unit",
            selectors.sending_units(user),
            values.get("from_unit"),
            missing=_("Bitte die verweisende Einheit angeben."),
            refused=_("Aus dieser Einheit können Sie nicht verweisen."),
        )
        to_unit = _one_of(
            "to_unit",
            selectors.referral_targets(from_unit.pk),
            values["to_unit"],
            missing=_("Bitte die empfangende Einheit angeben."),
            refused=_("An diese Einheit ist von der verweisenden Einheit aus keine Verweisung vorgesehen."),
        )
        consent = case = None
        if values["consent"]:
            consent = resolve(
                "consent",
                lambda: consent_selectors.get_consent_for(user, values["consent"]),
            )
        if values["case"]:
            case = resolve("case", lambda: case_selectors.get_case_for(user, values["case"]))
        with service_errors():
            referral = services.referral_create(
                actor=user,
                person=person,
                from_unit=from_unit,
                to_unit=to_unit,
                reason=values["reason"],
                legal_basis=values["legal_basis"],
                consent=consent,
                due_date=values["due_date"],
                case=case,
                shared=values["shared"],
                assessment_domains=values["assessment_domains"],
            )
        return referral_response(referral, created=True)

    def _step(
        self,
        request: Request,
        pk: int,
        service: Callable[..., Referral],
        body: type[serializers.Serializer] | None = None,
        **rename: str,
    ) -> Response:
        referral = selectors.get_referral_for(request.user, pk)
        version = expected_version(request, referral)
        values: dict[str, Any] = {}
        if body is not None:
            data = body(data=request.data)
            data.is_valid(raise_exception=True)
            values = dict(data.validated_data)
        with service_errors(**rename):
            referral = service(actor=request.user, referral=referral, expected_version=version, **values)
        return referral_response(referral)

    @extend_schema(
        summary="Annehmen (empfangende Einheit)", request=None, responses={200: ReferralSerializer}
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        return self._step(request, pk, services.referral_accept)

    @extend_schema(
        summary="Ablehnen, mit Grund (empfangende Einheit)",
        request=ReasonSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: int) -> Response:
        return self._step(request, pk, services.referral_decline, ReasonSerializer, decline_reason="reason")

    @extend_schema(
        summary="Mit der Arbeit beginnen (empfangende Einheit)",
        request=None,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: int) -> Response:
        return self._step(request, pk, services.referral_start)

    @extend_schema(
        summary="Ergebnis zurückmelden (empfangende Einheit)",
        request=OutcomeSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: int) -> Response:
        return self._step(request, pk, services.referral_complete, OutcomeSerializer)

    @extend_schema(
        summary="Zurückziehen, mit Grund (verweisende Einheit)",
        request=ReasonSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        return self._step(request, pk, services.referral_withdraw, ReasonSerializer, decline_reason="reason")

    @extend_schema(
        summary="Nachkontrolle erfassen: hat das Ergebnis gehalten? (verweisende Einheit)",
        request=CheckSerializer,
        responses={200: ReferralSerializer},
    )
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: int) -> Response:
        return self._step(request, pk, services.referral_check_record, CheckSerializer, check_result="result")
