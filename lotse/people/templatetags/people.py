from __future__ import annotations

from typing import Any

from django import template

from lotse.people.countries import country_name, language_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def language(code: str) -> str:
    return language_name(code) if code else ""


@register.filter
def countries(codes: list[str]) -> str:
    """``["RO", "BG"]`` → „Rumänien, Bulgarien“ (empty list: empty, for ``|default``)."""
    return ", ".join(country_name(code) for code in codes or [])


@register.filter
def languages(codes: list[str]) -> str:
    return ", ".join(language_name(code) for code in codes or [])


@register.filter
def pair(first: Any, second: Any) -> list[Any]:
    return [first, second]


@register.filter
def whereabouts_shown(person: Any, user: Any) -> bool:
    """``{% if person|whereabouts_shown:request.user %}``: may the page show where the person
    lives? Asks the access layer (§§ 51, 52 BMG, decision 0028); no question without a block."""
    if not getattr(person, "register_block", ""):
        return True
    from lotse.core import access

    return access.can(user, "whereabouts", person)
