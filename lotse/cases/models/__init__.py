"""Case work: case files and what is recorded in them, referrals, consents, documents and
follow-ups. One module per thing; import the models from here."""

from lotse.cases.models.case import (
    Assessment,
    AssessmentRating,
    CaseAssignment,
    CaseFile,
    CaseStatusChange,
    Contact,
    Goal,
    Measure,
)
from lotse.cases.models.consent import Consent, Disclosure
from lotse.cases.models.document import Document
from lotse.cases.models.followup import FollowUp, FollowUpDigest
from lotse.cases.models.referral import CASE_PARTS, Referral, ReferralRoute, SharedPart

__all__ = [
    "CASE_PARTS",
    "Assessment",
    "AssessmentRating",
    "CaseAssignment",
    "CaseFile",
    "CaseStatusChange",
    "Consent",
    "Contact",
    "Disclosure",
    "Document",
    "FollowUp",
    "FollowUpDigest",
    "Goal",
    "Measure",
    "Referral",
    "ReferralRoute",
    "SharedPart",
]
