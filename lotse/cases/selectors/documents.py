"""Reads of documents: only those of visible case files, or the user's organisation's consent
forms of visible persons (rules in ``lotse/cases/access.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lotse.cases.models import CaseFile, Document
from lotse.core import access
from lotse.core.audit import audit_view


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return access.visible(user, Document)


def documents_of_case(user: Any, case: CaseFile) -> list[Document]:
    """The case's documents, newest first (one query; the case was checked by its selector)."""
    return list(documents_visible_to(user).filter(case=case).select_related("uploaded_by"))


def get_document_for(user: Any, document_id: int) -> Document:
    document = access.get(user, Document.objects.select_related("case"), document_id)
    audit_view(actor=user, obj=document)
    return document
