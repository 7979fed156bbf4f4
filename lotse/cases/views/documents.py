"""Documents on the case file: upload (staff of the owning unit) and audited download."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lotse.cases.forms import DocumentForm
from lotse.cases.models import CaseFile
from lotse.cases.selectors import case_files, documents
from lotse.cases.services import documents as services
from lotse.cases.views.case_files import tab_url
from lotse.core import access
from lotse.core.pages import form_page, is_htmx


def _panel(request: HttpRequest, case: CaseFile, form: DocumentForm | None = None) -> HttpResponse:
    """The documents panel (htmx), else the upload page (with errors) or the case's tab."""
    if form is None and not is_htmx(request):
        return redirect(tab_url(case, "dokumente"))
    context: dict[str, Any] = {
        "case": case,
        "documents": documents.documents_of_case(request.user, case),
        "document_form": form or DocumentForm(),
        "can_edit_case": access.can(request.user, "edit", case),
    }
    template = "cases/partials/case_documents.html" if is_htmx(request) else "cases/document_upload.html"
    return render(request, template, context)


@login_required
@require_POST
def document_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_files.get_case_for(request.user, case_id, edit=True)
    form = DocumentForm(request.POST, request.FILES)
    return form_page(
        request,
        form,
        show=lambda form, **extra: _panel(request, case, form),
        save=lambda: services.document_upload(
            actor=request.user, upload=form.cleaned_data["file"], title=form.cleaned_data["title"], case=case
        ),
        done=lambda _document: _panel(request, case),
    )


@login_required
def document_download(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = documents.get_document_for(request.user, document_id)
    try:
        handle = services.document_open(actor=request.user, document=document)
    except services.FileUnavailable as problem:
        return render(request, "cases/document_missing.html", {"message": str(problem)}, status=410)
    response = FileResponse(
        handle, as_attachment=True, filename=document.download_name, content_type=document.content_type
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
    return form_page(
        request,
        Form(request.POST),
        show=lambda form, **extra: _panel(request, case),
        save=lambda: services.document_delete(actor=request.user, document=document),
        done=lambda _result: _panel(request, case),
    )
