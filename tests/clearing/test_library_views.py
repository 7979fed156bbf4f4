"""The information library's staff pages: the matrix per topic, a material's history with
upload and choice of the current version, and who sees what (outsiders get 404)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.clearing import services
from lotse.clearing.models import Material, MaterialVersion

from .test_materials import PDF

pytestmark = pytest.mark.django_db

LIBRARY = "/clearingstelle/informationsmaterial/"


@pytest.fixture(autouse=True)
def _documents(settings, tmp_path):
    settings.LOTSE_DOCUMENT_DIR = tmp_path / "dokumente"


def schule() -> Material:
    return Material.objects.get(slug="schule", organisation__slug="stadt-weissenfels")


def test_the_library_shows_each_topic_with_its_languages(personas, client_for):
    page = client_for(personas.clearing).get(LIBRARY).content.decode()
    assert "Schule und Kita" in page and "Schulpflicht, Schulanmeldung und Kita" in page
    assert '<abbr title="Rumänisch">ro</abbr>' in page
    assert "Neues Material" in page
    # A reader who does not keep the library sees it without the button.
    housing = client_for(personas.housing).get(LIBRARY).content.decode()
    assert "Schule und Kita" in housing and "Neues Material" not in housing


def test_outsiders_see_no_library(personas, client_for):
    material = schule()
    version = MaterialVersion.objects.filter(material=material).first()
    # The partner's counsellor has no library; the outsider and the county's worker see their
    # own organisation's (empty) one, nothing of the city's.
    assert client_for(personas.partner).get(LIBRARY).status_code == 404
    for user in (personas.outsider, personas.outreach):
        assert "Schule und Kita" not in client_for(user).get(LIBRARY).content.decode()
    for user in (personas.outsider, personas.partner, personas.outreach):
        client = client_for(user)
        assert client.get(f"{LIBRARY}{material.pk}/").status_code == 404
        assert client.get(f"{LIBRARY}fassung/{version.pk}/datei/").status_code == 404
        assert client.post(f"{LIBRARY}fassung/{version.pk}/aktuell/").status_code == 404


def test_list_query_count_is_constant(personas, client_for, django_assert_num_queries):
    client = client_for(personas.clearing)
    client.get(LIBRARY)
    services.material_create(actor=personas.clearing, organisation=personas.city, topic="Neu", title="Zwei")
    # session, user, memberships, their organisations (access); materials; current versions;
    # the membership's organisation for the "new" button (keep_library); session renewal
    # (savepoint, update, release).
    with django_assert_num_queries(9):
        client.get(LIBRARY)


def test_a_material_is_created_and_a_pdf_uploaded_through_the_pages(
    personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.clearing)
    response = client.post(
        f"{LIBRARY}neu/", {"topic": "Arbeit", "title": "Lohn und Arbeitszeit", "public": "on"}
    )
    material = Material.objects.get(title="Lohn und Arbeitszeit")
    assert response["Location"] == f"{LIBRARY}{material.pk}/"
    assert material.public and material.slug == "lohn-und-arbeitszeit"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{LIBRARY}{material.pk}/hochladen/",
            {"language": "ro", "file": SimpleUploadedFile("lohn.pdf", PDF)},
        )
    assert response.status_code == 302
    version = MaterialVersion.objects.get(material=material)
    assert (version.language, version.number, version.is_current) == ("ro", 1, True)
    page = client.get(f"{LIBRARY}{material.pk}/").content.decode()
    assert "lohn.pdf" in page and "aktuell" in page
    download = client.get(f"{LIBRARY}fassung/{version.pk}/datei/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_fake_pdf_on_the_page_gets_a_german_message_and_nothing_is_saved(personas, client_for):
    material = schule()
    before = MaterialVersion.objects.filter(material=material).count()
    response = client_for(personas.clearing).post(
        f"{LIBRARY}{material.pk}/hochladen/",
        {"language": "ro", "file": SimpleUploadedFile("schule.pdf", b"<html><body>kein PDF</body></html>")},
    )
    assert response.status_code == 400
    assert "Diese Datei ist kein PDF" in response.content.decode()
    assert MaterialVersion.objects.filter(material=material).count() == before


def test_an_oversized_pdf_on_the_page_is_refused(personas, client_for, settings):
    settings.LOTSE_DOCUMENT_MAX_MB = 1
    material = schule()
    before = MaterialVersion.objects.filter(material=material).count()
    response = client_for(personas.clearing).post(
        f"{LIBRARY}{material.pk}/hochladen/",
        {"language": "ro", "file": SimpleUploadedFile("gross.pdf", PDF + b"0" * (1024 * 1024 + 1))},
    )
    assert response.status_code == 400
    assert "größer als 1 MB" in response.content.decode()
    assert MaterialVersion.objects.filter(material=material).count() == before


def test_a_reader_cannot_upload_or_choose(personas, client_for):
    material = schule()
    version = MaterialVersion.objects.filter(material=material).first()
    client = client_for(personas.housing)
    page = client.get(f"{LIBRARY}{material.pk}/").content.decode()
    assert "Neue Fassung hochladen" not in page
    response = client.post(
        f"{LIBRARY}{material.pk}/hochladen/", {"language": "ro", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 404
    assert client.post(f"{LIBRARY}fassung/{version.pk}/aktuell/").status_code == 404


def test_choosing_an_older_version_on_the_page(personas, client_for, django_capture_on_commit_callbacks):
    material = services.material_create(
        actor=personas.clearing, organisation=personas.city, topic="T", title="A"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = services.material_version_store(
            actor=personas.clearing, material=material, language="de", data=PDF
        )
        services.material_version_store(actor=personas.clearing, material=material, language="de", data=PDF)
    client = client_for(personas.head)  # the head of office keeps the library too
    response = client.post(f"{LIBRARY}fassung/{first.pk}/aktuell/")
    assert response["Location"] == f"{LIBRARY}{material.pk}/"
    first.refresh_from_db()
    assert first.is_current and first.pinned
