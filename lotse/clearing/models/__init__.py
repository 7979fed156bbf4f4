"""Models of the Clearingstelle, one module per subject: register import, arrival interviews."""

from lotse.clearing.models.interview import (
    ArrivalInterview,
    InformationMaterial,
    InterviewChild,
    RoutingRules,
)
from lotse.clearing.models.register_import import RegisterImport

__all__ = ["ArrivalInterview", "InformationMaterial", "InterviewChild", "RegisterImport", "RoutingRules"]
