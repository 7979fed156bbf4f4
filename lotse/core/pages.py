"""The one shape of Lotse's pages, for every app's views.

A view gets its object from a selector (404 when the user may not see it), builds its form,
and hands both to ``form_page`` with the one service call that saves it:

    case = selectors.get_case_for(request.user, case_id, edit=True)
    form = CaseEditForm(request.POST or None, initial=...)
    return form_page(
        request, form,
        show=page(request, "cases/case_edit.html", case=case),
        save=lambda: services.case_file_update(actor=request.user, case=case, ...),
        done=lambda _result: redirect("cases:case_detail", case.pk),
        current=lambda: selectors.get_case_for(request.user, case_id),
    )

``form_page`` puts a service's ``ValidationError`` on the form's fields, a version conflict
above the form with the stored values beside it, and answers a refused action (``Permission
Denied``) with 404 like an unknown record. A page with errors answers 400 (a conflict 409), to
htmx 200 (htmx swaps only 2xx answers). Lists page with ``paginate`` (a known, bounded number of rows) or
``keyset_page`` (lists that grow without bound); both render with ``includes/pager.html``.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cmp_to_key
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.core.audit import audit_list
from lotse.core.services import StaleVersion

T = TypeVar("T")
Show = Callable[..., HttpResponse]

PAGE_PARAM = "seite"
AFTER_PARAM = "nach"


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def page(request: HttpRequest, template: str, *, partial: str | None = None, **context: Any) -> Show:
    """What ``form_page`` shows: ``template`` with ``context`` and the form (as ``form``), or
    to htmx only ``partial`` if given."""

    def show(form: Form | None = None, **extra: Any) -> HttpResponse:
        chosen = partial if partial is not None and is_htmx(request) else template
        return render(request, chosen, {**context, "form": form, **extra})

    return show


def form_page(
    request: HttpRequest,
    form: Form,
    *,
    show: Show,
    save: Callable[[], T],
    done: Callable[[T], HttpResponse],
    current: Callable[[], Model] | None = None,
) -> HttpResponse:
    """GET: ``show(form)``. POST with a valid form: ``save()`` (the one service call), then
    ``done(result)``. Otherwise the form again with what is wrong, by ``show``."""
    extra: dict[str, Any] = {}
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            result = save()
        except StaleVersion as error:
            stored = current() if current is not None else None
            stale_onto(form, error, stored)
            extra = {"current": stored, "stale_values": stale_values(form, stored)}
            status = 409
        except ValidationError as error:
            errors_onto(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            return done(result)
    response = show(form, **extra)
    if request.method == "POST" and not is_htmx(request) and response.status_code == 200:
        response.status_code = status
    return response


def errors_onto(form: Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on the field it names (a form may name its own
    field for a service's in ``service_fields``), else above the form."""
    if hasattr(error, "error_dict"):
        renamed = getattr(form, "service_fields", {})
        for field, errors in error.error_dict.items():
            field = renamed.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)  # keeps code and params (``form.has_error(None, code)``)


def stale_onto(form: Form, error: StaleVersion, stored: Model | None) -> None:
    """Someone saved in between: say so, and let the next save build on the stored version
    (the typed values stay in the form)."""
    form.add_error(None, error.messages)
    if stored is not None and "version" in form.fields:
        data = form.data.copy()  # type: ignore[attr-defined]
        data[form.add_prefix("version")] = str(getattr(stored, "version", ""))
        form.data = data


def stale_values(form: Form, stored: Model | None) -> list[tuple[str, str]]:
    """The stored values beside a refused edit, field by field."""
    if stored is None:
        return []
    rows = []
    for name, field in form.fields.items():
        if name == "version" or not hasattr(stored, name):
            continue
        display = getattr(stored, f"get_{name}_display", None)
        value = display() if display else getattr(stored, name, "")
        if isinstance(value, dt.date):
            value = date_format(value, "d.m.Y")
        rows.append((str(field.label), "" if value is None else str(value)))
    return rows


def error_text(form: Form) -> str:
    """All of a form's messages in one line, for pages that show them as one alert."""
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def version_of(form: Form) -> int | None:
    """The version the form was filled in on (its hidden ``version`` field), if any."""
    value = form.cleaned_data.get("version")
    return int(value) if value is not None else None


# --- paging ------------------------------------------------------------------------------------


def _query(request: HttpRequest, **changes: str | None) -> str:
    """The current query string with ``changes`` applied (None removes a key)."""
    params: QueryDict = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return params.urlencode()


@dataclass
class Pages:
    """One page of a list, as ``includes/pager.html`` shows it."""

    object_list: Sequence[Any]
    label: str
    count: int | None = None  # all rows, where counting is cheap (``paginate``), or up to a cap
    more: bool = False  # more rows than ``count`` (``keyset_page(count_to=…)``)
    next_query: str | None = None
    previous_query: str | None = None
    first_query: str | None = None

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_query or self.previous_query or self.first_query)


def paginate(request: HttpRequest, rows: QuerySet[Any] | Sequence[Any], size: int = 25) -> Pages:
    """Numbered pages (``?seite=``) for a list that stays small (a case's contacts, one
    person's consents): one count query and one for the rows."""
    current = Paginator(rows, size).get_page(request.GET.get(PAGE_PARAM))
    number, total = current.number, current.paginator.num_pages
    shown = list(current.object_list)
    audit_list(actor=request.user, rows=shown)
    return Pages(
        object_list=shown,
        label=_("Seite %(number)s von %(total)s") % {"number": number, "total": total},
        count=current.paginator.count,
        next_query=_query(request, **{PAGE_PARAM: str(number + 1)}) if number < total else None,
        previous_query=_query(request, **{PAGE_PARAM: str(number - 1)}) if number > 1 else None,
    )


def keyset_page(
    request: HttpRequest,
    rows: QuerySet[Any],
    *,
    ordering: Sequence[str],
    size: int = 25,
    first: Q | None = None,
    others: Sequence[Q] | None = None,
    count_to: int | None = None,
) -> Pages:
    """Pages by position (``?nach=`` the last row's ordering values) for a list that grows
    without bound (the register, referrals, the audit trail): no count, no offset, the same
    cost on page 1 and page 10,000. ``ordering`` names columns or annotations without nulls
    (``Coalesce`` them) and ends with a unique one (``"-pk"``).

    ``first``: where ``ordering`` begins with a true/false annotation, descending (overdue
    first), the condition it stands for. The page is then read in two parts, the rows that
    meet it and then the others, each by the rest of ``ordering``: an index can serve each
    part in order, where sorting by the annotation would sort every matching row.

    ``others``: the rows that do not meet ``first`` as conditions that split them without
    overlap (by default the one ``~first``), where no single index holds them all in order:
    each is read in order, up to a page, and their rows merged (a fixed number of queries).

    ``count_to``: count the rows too, but no further than this (one query reading at most that
    many index entries more): ``count`` and ``more`` say "12" or "more than 999"."""
    after = _decode(request.GET.get(AFTER_PARAM, ""), rows, ordering)
    if first is None:
        ordered = rows.order_by(*ordering)
        if after is not None:
            ordered = ordered.filter(_after(ordering, after))
        found = list(ordered[: size + 1])
    else:
        found = _in_two_parts(rows, ordering, after, size + 1, first, others)
    shown = found[:size]
    audit_list(actor=request.user, rows=shown)
    next_query = None
    if len(found) > size:
        next_query = _query(request, **{AFTER_PARAM: _encode([_value(shown[-1], name) for name in ordering])})
    if after is None:
        label = _("Einträge 1–%(last)s") % {"last": len(shown)} if shown else _("Keine Einträge")
    else:
        label = _("Weitere Einträge")
    count, more = capped_count(rows, count_to) if count_to is not None else (None, False)
    return Pages(
        object_list=shown,
        label=label,
        count=count,
        more=more,
        next_query=next_query,
        first_query=_query(request, **{AFTER_PARAM: None}) if after is not None else None,
    )


def capped_count(rows: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """How many rows, counted up to ``cap`` (reading no more than that many index entries), and
    whether there are more."""
    number = rows.order_by().values("pk")[: cap + 1].count()
    return min(number, cap), number > cap


def _in_two_parts(
    rows: QuerySet[Any],
    ordering: Sequence[str],
    after: list[Any] | None,
    limit: int,
    first: Q,
    others: Sequence[Q] | None = None,
) -> list[Any]:
    """Up to ``limit`` rows after ``after``: those meeting ``first``, then the others (read
    in the parts ``others`` and merged)."""
    if not ordering[0].startswith("-"):
        raise ValueError("first: the leading ordering must be descending (true first)")
    rest = ordering[1:]
    found: list[Any] = []
    rest_parts = [rows.filter(q) for q in others] if others else [rows.exclude(first)]
    for flag, parts in ((True, [rows.filter(first)]), (False, rest_parts)):
        if after is not None and flag and not after[0]:
            continue  # the position is among the others: the first part is done
        read: list[Any] = []
        for part in parts:
            ordered = part.order_by(*rest)
            if after is not None and bool(after[0]) == flag:
                ordered = ordered.filter(_after(rest, after[1:]))
            read += list(ordered[: limit - len(found)])
        if len(parts) > 1:
            read.sort(key=cmp_to_key(lambda a, b: _compare(a, b, rest)))
        found += read[: limit - len(found)]
        if len(found) >= limit:
            break
    return found


def _compare(a: Any, b: Any, ordering: Sequence[str]) -> int:
    """-1, 0 or 1: the order of two rows in ``ordering``, as the database sorts them."""
    for name in ordering:
        x, y = _value(a, name), _value(b, name)
        if x != y:
            smaller = -1 if x < y else 1
            return -smaller if name.startswith("-") else smaller
    return 0


def _value(row: Any, name: str) -> Any:
    field = name.lstrip("-")
    return getattr(row, "pk" if field == "pk" else field)


def _after(ordering: Sequence[str], values: list[Any]) -> Q:
    """Rows after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or … — and a ≥ x,
    which says the same once more as a range that an index on ``a`` starts at (the OR alone
    made PostgreSQL read the index from the list's beginning up to the position)."""
    condition = Q(pk__in=[])
    equal = Q()
    for name, value in zip(ordering, values, strict=True):
        field = name.lstrip("-")
        condition |= equal & Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": value})
        equal &= Q(**{field: value})
    lead = ordering[0].lstrip("-")
    return Q(**{f"{lead}__{'lte' if ordering[0].startswith('-') else 'gte'}": values[0]}) & condition


def _encode(values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, dt.date | dt.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _field(rows: QuerySet[Any], name: str) -> Any:
    """The field (or the annotation's output field) that a position value belongs to."""
    if name in rows.query.annotations:
        return rows.query.annotations[name].output_field
    return rows.model._meta.pk if name == "pk" else rows.model._meta.get_field(name)


def _decode(raw: str, rows: QuerySet[Any], ordering: Sequence[str]) -> list[Any] | None:
    """The values from ``?nach=``, each as its field's type; a damaged one starts over."""
    if not raw:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(values, list) or len(values) != len(ordering):
            return None
        fields = [_field(rows, name.lstrip("-")) for name in ordering]
        return [field.to_python(value) for field, value in zip(fields, values, strict=True)]  # type: ignore[union-attr]
    except (ValueError, TypeError, ValidationError):
        return None
