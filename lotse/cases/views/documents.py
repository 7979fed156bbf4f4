"""Documents on the case file: upload (staff of the owning unit) and audited download."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lotse.cases import access
from lotse.cases.forms import DocumentForm
from lotse.cases.models import CaseFile
from lotse.cases.selectors import case_files, documents
from lotse.cases.services import documents as services


def _panel_context(request: HttpRequest, case: CaseFile, form: DocumentForm | None = None) -> dict[str, Any]:
    return {
        "case": case,
        "documents": documents.documents_of_case(request.user, case),
        "document_form": form or DocumentForm(),
        "can_edit_case": access.can_edit_case(request.user, case),
    }


@login_required
@require_POST
def document_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_files.get_case_for(request.user, case_id, edit=True, record_read=False)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                case=case,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
        except PermissionDenied:
            raise Http404 from None
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return render(request, "cases/partials/case_documents.html", _panel_context(request, case))
            return redirect(reverse("cases:case_detail", args=[case.pk]) + "?tab=dokumente")
    return render(
        request,
        "cases/partials/case_documents.html" if request.htmx else "cases/document_upload.html",  # type: ignore[attr-defined]
        _panel_context(request, case, form),
        status=400,
    )


@login_required
def document_download(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = documents.get_document_for(request.user, document_id)
    try:
        handle = services.document_open(actor=request.user, document=document)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return render(request, "cases/document_missing.html", {"message": error.messages[0]}, status=410)
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_name, content_type=document.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    document = documents.get_document_for(request.user, document_id)
    case = document.case
    if case is None:
        raise Http404
    try:
        services.document_delete(actor=request.user, document=document)
    except PermissionDenied:
        raise Http404 from None
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "cases/partials/case_documents.html", _panel_context(request, case))
    return redirect(reverse("cases:case_detail", args=[case.pk]) + "?tab=dokumente")
