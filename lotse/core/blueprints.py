"""Blueprints: a complete set-up of organisations, units and rules, kept as data.

A blueprint NAME is the set of files ``lotse/<app>/blueprints/NAME.yaml``; each app that
has one also has a ``blueprint.py`` with ``load(data, demo=...)`` for its part. Apps are
loaded in the order of INSTALLED_APPS, so later apps can refer to earlier ones' records.
Loading is idempotent: records are found by their slug and updated.

The apps' parts are configuration. Demo data (``--demo``) are the part of the demo app,
``lotse/demo/``, listed last; while they load, ``is_demo_loading()`` is true.
"""

from __future__ import annotations

import contextvars
import importlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

_demo_loading = contextvars.ContextVar("lotse_demo_loading", default=False)


@contextmanager
def demo_loading() -> Iterator[None]:
    """While demo data is written: the invented staff get no notices about invented people."""
    token = _demo_loading.set(True)
    try:
        yield
    finally:
        _demo_loading.reset(token)


def is_demo_loading() -> bool:
    """True while ``blueprint_load(..., demo=True)`` runs (``lotse.cases.mails`` sends nothing)."""
    return _demo_loading.get()


def _lotse_apps() -> list[Any]:
    return [config for config in apps.get_app_configs() if config.name.startswith("lotse.")]


def blueprint_files(name: str) -> list[tuple[Any, Path]]:
    return [
        (config, Path(config.path) / "blueprints" / f"{name}.yaml")
        for config in _lotse_apps()
        if (Path(config.path) / "blueprints" / f"{name}.yaml").exists()
    ]


def available_blueprints() -> list[str]:
    names: set[str] = set()
    for config in _lotse_apps():
        names |= {path.stem for path in (Path(config.path) / "blueprints").glob("*.yaml")}
    return sorted(names)


@transaction.atomic
def blueprint_load(name: str, *, demo: bool = False) -> list[str]:
    """Load every app's part of blueprint ``name``; returns a line per part for the operator."""
    files = blueprint_files(name)
    if not files:
        raise ImproperlyConfigured(
            f"Unbekannter Bauplan „{name}“. Vorhanden: {', '.join(available_blueprints())}."
        )
    summary: list[str] = []
    with demo_loading() if demo else nullcontext():
        for config, path in files:
            with path.open(encoding="utf-8") as handle:
                data = yaml.safe_load(handle) or {}
            loader = importlib.import_module(f"{config.name}.blueprint")
            summary.extend(loader.load(data, demo=demo))
    return summary
