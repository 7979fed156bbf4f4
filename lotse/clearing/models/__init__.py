"""Models of the Clearingstelle, one module per subject: register import, arrival interviews,
the information library."""

from lotse.clearing.models.interview import (
    ArrivalInterview,
    InterviewChild,
    RoutingRules,
)
from lotse.clearing.models.library import Material, MaterialHandout, MaterialVersion
from lotse.clearing.models.register_import import RegisterImport

__all__ = [
    "ArrivalInterview",
    "InterviewChild",
    "Material",
    "MaterialHandout",
    "MaterialVersion",
    "RegisterImport",
    "RoutingRules",
]
