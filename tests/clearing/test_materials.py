"""The information library (decision 0031): materials from the blueprint as link versions,
PDF versions uploaded per language (recognised by content, within the size limit, nothing
half-saved), the current version per language, who keeps and who reads a library, the public
download and the portal's selector."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.clearing import selectors, services
from lotse.clearing.models import Material, MaterialVersion
from lotse.core import access, files
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent, StoredDocument
from lotse.core.pdf import render_pdf

pytestmark = pytest.mark.django_db

LEAFLET = {
    "slug": "sprachkurs",
    "topic": "Sprache",
    "title": "Deutschkurse in Weißenfels",
    "url": "https://www.weissenfels.example/sprachkurs/{language}.pdf",
}
# The smallest PDF a reader opens (the sniffing looks at the content, not the name).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "dokumente"
    # Stored files move into place when the transaction commits; the tests' never does.
    global _committing
    _committing = django_capture_on_commit_callbacks


_committing = None


def upsert(personas, *entries, actor=None, languages=("ro", "bg")):
    return services.materials_upsert(
        actor=actor, organisation=personas.city, entries=list(entries), languages=list(languages)
    )


def pdf(name="blatt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(personas, material, language="de", content=PDF, actor=None):
    with _committing(execute=True):
        return services.material_version_upload(
            actor=actor or personas.clearing,
            material=material,
            language=language,
            upload=pdf(content=content),
        )


def events(object_type: str, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type, action=action).order_by("id"))


def test_a_blueprint_material_becomes_link_versions_and_follows_a_changed_url(personas):
    known = len(events("clearing.materialversion", "create"))
    assert upsert(personas, LEAFLET) == 1
    material = Material.objects.get(slug="sprachkurs")
    assert material.public
    versions = MaterialVersion.objects.filter(material=material).order_by("language")
    assert [(v.language, v.number, v.is_current, v.url) for v in versions] == [
        ("bg", 1, True, "https://www.weissenfels.example/sprachkurs/bg.pdf"),
        ("ro", 1, True, "https://www.weissenfels.example/sprachkurs/ro.pdf"),
    ]
    assert len(events("clearing.materialversion", "create")) == known + 2
    upsert(personas, {**LEAFLET, "url": "https://www.weissenfels.example/kurse/{language}.pdf"})
    assert MaterialVersion.objects.get(material=material, language="ro").url.endswith("/kurse/ro.pdf")
    # Once a file is uploaded, the blueprint leaves that language alone.
    upload(personas, material, "ro")
    upsert(personas, {**LEAFLET, "url": "https://www.weissenfels.example/neu/{language}.pdf"})
    current = MaterialVersion.objects.get(material=material, language="ro", is_current=True)
    assert current.number == 2 and current.storage_name
    assert audit_verify().intact


def test_the_newest_upload_is_current_unless_an_older_one_was_chosen(personas):
    material = services.material_create(
        actor=personas.clearing, organisation=personas.city, topic="Arbeit", title="Arbeitsrecht"
    )
    first = upload(personas, material)
    second = upload(personas, material)
    first.refresh_from_db()
    assert (first.number, first.is_current, second.number, second.is_current) == (1, False, 2, True)
    services.material_version_choose(actor=personas.clearing, version=first)
    third = upload(personas, material)
    first.refresh_from_db()
    assert first.is_current and first.pinned and not third.is_current
    # Choosing the newest again lets uploads follow.
    services.material_version_choose(actor=personas.clearing, version=third)
    fourth = upload(personas, material)
    assert fourth.is_current
    assert MaterialVersion.objects.filter(material=material, is_current=True).count() == 1
    assert third.uploaded_by == personas.clearing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "kein PDF"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "kein PDF"),
        (b"%PDF-1.4\n<html><script>alert(1)</script>", "Webseite"),
        (b"", "leer"),
    ],
)
def test_a_fake_pdf_is_refused_with_a_clear_message_and_nothing_is_kept(personas, content, message):
    material = services.material_create(
        actor=personas.clearing, organisation=personas.city, topic="Arbeit", title="Arbeitsrecht"
    )
    written = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as raised:
        upload(personas, material, content=content)
    assert message in " ".join(raised.value.message_dict["file"])
    assert not MaterialVersion.objects.filter(material=material).exists()
    assert AuditEvent.objects.count() == written


def test_an_oversized_pdf_is_refused_by_the_document_limit(personas, settings):
    settings.LOTSE_DOCUMENT_MAX_MB = 1
    material = services.material_create(
        actor=personas.clearing, organisation=personas.city, topic="Arbeit", title="Arbeitsrecht"
    )
    with pytest.raises(ValidationError) as raised:
        upload(personas, material, content=PDF + b"0" * (1024 * 1024))
    assert "größer als 1 MB" in raised.value.message_dict["file"][0]
    assert not MaterialVersion.objects.filter(material=material).exists()


def test_who_keeps_and_who_reads_the_library(personas):
    upsert(personas, LEAFLET)
    material = Material.objects.get(slug="sprachkurs")
    keepers = {"clearing", "clearing_lead", "head", "admin"}
    for name, user in personas.all().items():
        may_keep = access.can(user, "keep_library", personas.city)
        assert may_keep == (name in keepers), name
        if not may_keep:
            with pytest.raises(PermissionDenied):
                upload(personas, material, actor=user)
    # The city's staff who work with people read it; other organisations see nothing of it.
    assert access.can(personas.housing, "view", material)
    assert access.can(personas.neighbourhood, "view", material)
    for user in (personas.outsider, personas.partner, personas.outreach, personas.dpo):
        assert not access.can(user, "view", material)
        assert not access.visible(user, MaterialVersion).filter(material=material).exists()


def test_configuration_from_the_blueprint_only_by_who_configures(personas):
    for user in (personas.clearing, personas.head, personas.outsider):
        with pytest.raises(PermissionDenied):
            upsert(personas, LEAFLET, actor=user)
    assert not Material.objects.filter(slug="sprachkurs").exists()
    upsert(personas, LEAFLET, actor=personas.admin)
    assert Material.objects.filter(slug="sprachkurs").exists()


def test_public_materials_offers_current_files_of_public_materials_only(personas, client):
    public = services.material_create(
        actor=personas.clearing, organisation=personas.city, topic="Schule", title="Schulpflicht", public=True
    )
    internal = services.material_create(
        actor=personas.clearing, organisation=personas.city, topic="Intern", title="Dienstanweisung"
    )
    old = upload(personas, public, "ro")
    new = upload(personas, public, "ro")
    upload(personas, internal, "ro")
    offered = [
        m
        for m in selectors.public_materials(personas.city, "ro")
        if m.title in ("Schulpflicht", "Dienstanweisung")
    ]
    assert [(m.topic, m.title, m.language, m.version) for m in offered] == [
        ("Schule", "Schulpflicht", "ro", 2)
    ]
    # Links from the blueprint are not offered (the portal offers files).
    assert all(m.title != "Ankunft" for m in selectors.public_materials(personas.city, "de"))
    response = client.get(offered[0].download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    # An older version, an internal material or a link: 404 without an account.
    for version in (old, MaterialVersion.objects.get(material=internal)):
        assert (
            client.get(
                f"/clearingstelle/oeffentlich/material/{version.pk}/{selectors.public_file_name(version)}"
            ).status_code
            == 404
        )
    link = MaterialVersion.objects.filter(storage_name="", material__public=True, is_current=True).first()
    assert link is not None
    assert (
        client.get(
            f"/clearingstelle/oeffentlich/material/{link.pk}/{selectors.public_file_name(link)}"
        ).status_code
        == 404
    )
    # A damaged file is not handed out.
    other = files.store().write(PDF + b"x")  # another file, correctly encrypted
    StoredDocument.objects.filter(name=new.storage_name).update(
        content=StoredDocument.objects.get(name=other.name).content
    )
    assert client.get(offered[0].download_url).status_code == 404


def test_a_pdf_rendered_by_lotse_is_accepted(personas):
    data = render_pdf("pdf/base.html", {})
    material = services.material_create(actor=None, organisation=personas.city, topic="T", title="Gedruckt")
    with _committing(execute=True):
        version = services.material_version_store(actor=None, material=material, language="de", data=data)
    handle = services.material_version_open(actor=personas.clearing, version=version)
    assert handle.read() == data
    assert io.BytesIO(data).read(5) == b"%PDF-"
