"""Demo leaflets for the information library (decision 0031): small real PDFs, made with
``lotse.core.pdf.render_pdf`` while the demo loads (no binary files in git), uploaded as
versions of the materials the blueprint's library names, by the demo's library keeper, on a
day before the demo's interviews so that the interviews hand them out.

The texts are data: ``lotse/demo/data/leaflets/NAME.yaml`` (per material slug and language a
title and a few lines). A material that already has a file keeps it (loading again adds none).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Organisation, User
from lotse.clearing import services
from lotse.clearing.models import Material, MaterialVersion
from lotse.core.pdf import render_pdf
from lotse.demo.clock import demo_clock, demo_moment
from lotse.demo.datafiles import read_data

RIGHT_TO_LEFT = {"ar", "fa", "prs", "ckb"}


def library_load(settings: dict[str, Any]) -> list[str]:
    """``settings``: ``organisation``, ``uploader`` (a username), ``uploaded_on`` (a date),
    ``leaflets`` (the data file's name)."""
    organisation = Organisation.objects.get(slug=settings["organisation"])
    uploader = User.objects.get(username=settings["uploader"])
    texts: dict[str, dict[str, dict[str, Any]]] = read_data(f"leaflets/{settings['leaflets']}.yaml")
    materials = {m.slug: m for m in Material.objects.filter(organisation=organisation)}
    unknown = sorted(set(texts) - set(materials))
    if unknown:
        raise ImproperlyConfigured(f"Demo-Faltblätter ohne Material in der Bibliothek: {', '.join(unknown)}")
    made = 0
    with demo_clock(demo_moment(settings["uploaded_on"], 9)):
        for slug, languages in texts.items():
            material = materials[slug]
            if MaterialVersion.objects.filter(material=material).exclude(storage_name="").exists():
                continue
            for language, text in languages.items():
                data = render_pdf(
                    "demo/leaflet.html",
                    {
                        "language": language,
                        "direction": "rtl" if language in RIGHT_TO_LEFT else "ltr",
                        "organisation": organisation.name,
                        "title": text["title"],
                        "lines": text["lines"],
                        "footer": text.get("footer", "Demo – erfundenes Faltblatt"),
                    },
                )
                services.material_version_store(
                    actor=uploader,
                    material=material,
                    language=language,
                    data=data,
                    name=f"{slug}-{language}.pdf",
                )
                made += 1
    return [f"{made} Demo-Faltblätter (PDF) in der Bibliothek von {organisation}"] if made else []
