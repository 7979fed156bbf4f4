"""Form widgets every app uses the same way."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """The browser's date picker; its value is ISO (``2026-12-07``), which Django parses back."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
