"""Reads of documents: only those of visible case files, or the user's organisation's consent
forms of visible persons (rules in ``lotse.cases.access``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lotse.cases import access
from lotse.cases.models import CaseFile, Document


def documents_visible_to(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(access.documents_q(user))


def documents_of_case(user: Any, case: CaseFile) -> list[Document]:
    """The case's documents, newest first (one query; the case was checked by its selector)."""
    return list(documents_visible_to(user).filter(case=case).select_related("uploaded_by"))


def get_document_for(user: Any, document_id: int) -> Document:
    document = documents_visible_to(user).filter(pk=document_id).select_related("case").first()
    if document is None:
        raise Http404
    return document
