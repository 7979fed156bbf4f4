"""Register import pages of the Clearingstelle: list, upload, mapping, preview, progress."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotse.accounts.models import User
from lotse.clearing import selectors, services
from lotse.clearing.forms import MappingForm, UploadForm
from lotse.clearing.models import RegisterImport

PAGE_SIZE = 25


def _require_import_right(request: HttpRequest) -> None:
    if not selectors.import_organisation_ids(request.user):
        raise Http404


def _status_context(request: HttpRequest, register_import: RegisterImport) -> dict[str, Any]:
    done = register_import.status == RegisterImport.Status.DONE
    return {
        "imp": register_import,
        "changed": selectors.changed_persons_of(request.user, register_import) if done else [],
    }


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    page = Paginator(selectors.imports_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "clearing/import_list.html", {"page": page})


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_import_right(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            register_import = services.register_import_create(
                actor=request.user,
                organisation=cast(User, request.user).organisation,  # type: ignore[arg-type]
                upload=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("clearing:import_mapping", register_import.pk)
    return render(
        request,
        "clearing/import_upload.html",
        {"form": form, "max_mb": services.max_upload_bytes() // (1024 * 1024)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_mapping(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    if register_import.status not in RegisterImport.MAPPABLE:
        return redirect("clearing:import_detail", register_import.pk)
    form = MappingForm(
        request.POST or None,
        columns=register_import.columns,
        mapping=register_import.mapping,
        examples=selectors.column_examples(register_import),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register_import_map(
                actor=request.user, register_import=register_import, mapping=form.mapping()
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("clearing:import_detail", register_import.pk)
    return render(
        request,
        "clearing/import_mapping.html",
        {"form": form, "imp": register_import},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    if register_import.status == RegisterImport.Status.UPLOADED:
        return redirect("clearing:import_mapping", register_import.pk)
    context = _status_context(request, register_import)
    if register_import.status in (RegisterImport.Status.READY, RegisterImport.Status.INVALID):
        context["preview"] = selectors.preview_of(register_import)
    return render(request, "clearing/import_detail.html", context)


@login_required
def import_progress(request: HttpRequest, import_id: int) -> HttpResponse:
    """The status block alone, polled by htmx while the import runs."""
    register_import = selectors.get_import_for(request.user, import_id)
    return render(request, "clearing/partials/import_status.html", _status_context(request, register_import))


@login_required
@require_POST
def import_start(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    try:
        services.register_import_start(actor=request.user, register_import=register_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    return redirect("clearing:import_detail", register_import.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, import_id: int) -> HttpResponse:
    register_import = selectors.get_import_for(request.user, import_id)
    try:
        services.register_import_discard(actor=request.user, register_import=register_import)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clearing:import_detail", register_import.pk)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Der Import ist verworfen; die Datei ist gelöscht."))
    return redirect("clearing:import_list")
