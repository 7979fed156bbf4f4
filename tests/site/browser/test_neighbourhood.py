"""The Neustadtbüro's day as its staff work it: a counselling entry, an activity with its
registrations and waiting list, a room booking that collides; the partner reads its own
consultation hours. axe on every step (also at 320 px)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.site.browser.visitor import Visitor, report
from tests.site.conftest import DemoSite

pytestmark = pytest.mark.browser


def test_neighbourhood_office_walk(visitor: Callable[..., Visitor], demo_site: DemoSite) -> None:
    from django.db.models import Q

    from lotse.neighbourhood.models import Activity, RoomBooking, Volunteer

    full = Activity.objects.filter(title="Skaterworkshop").get()
    booking = (
        RoomBooking.objects.filter(partner__isnull=False, room__name="Beratungsraum")
        .order_by("-starts_at")
        .first()
    )
    volunteer = (
        Volunteer.objects.filter(~Q(certificate_issued_on=None)).order_by("certificate_issued_on").first()
    )
    assert booking and volunteer
    staff = visitor("neighbourhood", as_user="demo-neighbourhood")
    page = staff.page
    problems: list[str] = []
    visited: list[str] = []

    def check() -> None:
        visited.append(page.url)
        problems.extend(staff.audit())

    # The start page names the certificate about to run out and the person moved up.
    page.goto(f"{demo_site.url}/")
    page.wait_for_selector("text=Führungszeugnis läuft ab: neues anfordern")
    page.wait_for_selector("text=Von der Warteliste nachgerückt: Person benachrichtigen")

    # A walk-in, anonymous: statistics only.
    page.get_by_role("link", name="Beratung", exact=True).click()
    page.wait_for_url("**/stadtteilbuero/beratung/")
    check()
    page.get_by_role("link", name="Beratung eintragen").click()
    page.wait_for_url("**/stadtteilbuero/beratung/neu/")
    check()
    page.get_by_label("Schutz vor Gewalt").check()
    page.select_option("#id_age_group", "27-64")
    page.select_option("#id_gender", "f")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("text=Der Beratungskontakt ist gespeichert.")
    check()

    # The full activity: one more goes on the waiting list; a cancellation moves the first up.
    page.goto(f"{demo_site.url}/stadtteilbuero/angebote/")
    check()
    page.get_by_role("link", name="Skaterworkshop").first.click()
    page.wait_for_url(f"**/stadtteilbuero/angebote/{full.pk}/")
    check()
    page.fill("#id_name", "Karl Neumann")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("text=Karl Neumann steht auf der Warteliste, Platz 3.")
    check()
    first_registered = full.registrations.filter(status="registered").order_by("created_at").first()
    first_waiting = full.registrations.filter(status="waiting").order_by("created_at").first()
    assert first_registered and first_waiting
    page.get_by_role("button", name=f"{first_registered.name} abmelden").click()
    page.wait_for_selector(f"text={first_waiting.name} ist von der Warteliste nachgerückt.")
    check()
    page.get_by_role("link", name="Teilnahme eintragen").click()
    page.wait_for_url(f"**/stadtteilbuero/angebote/{full.pk}/teilnahme/")
    check()

    # A room booked over a partner's consultation hour: refused, naming it.
    page.goto(f"{demo_site.url}/stadtteilbuero/raeume/")
    check()
    page.get_by_role("link", name="Raum buchen").click()
    page.wait_for_url("**/stadtteilbuero/raeume/buchen/")
    check()
    from django.utils import timezone

    start = timezone.localtime(booking.starts_at)
    page.select_option("#id_room", str(booking.room_id))
    page.fill("#id_title", "Elterncafé")
    page.fill("#id_day", start.date().isoformat())
    page.fill("#id_start_time", start.strftime("%H:%M"))
    page.fill("#id_end_time", f"{start.hour + 1:02d}:30")
    page.get_by_role("button", name="Buchen").click()
    page.wait_for_selector(f"text=schon belegt: „{booking.title}“")
    # The refused booking answers 400, as every form with errors does; that is the point here.
    assert all("400" in error for error in staff.take_console_errors())
    check()

    # Volunteers and the figures.
    page.goto(f"{demo_site.url}/stadtteilbuero/ehrenamt/")
    check()
    page.get_by_role("link", name=volunteer.name).click()
    page.wait_for_url(f"**/stadtteilbuero/ehrenamt/{volunteer.pk}/")
    check()
    # Agreements and mentorships: the one of the demo, and one refused for want of a consent.
    from lotse.neighbourhood.models import CounsellingEntry, Mentorship

    mentorship = Mentorship.objects.get()
    page.goto(f"{demo_site.url}/stadtteilbuero/ehrenamt/{mentorship.volunteer_id}/")
    page.wait_for_selector("text=Ordner Ehrenamt, Büro 2")
    check()
    page.get_by_role("link", name="Patenschaften", exact=True).first.click()
    page.wait_for_url("**/stadtteilbuero/patenschaften/")
    check()
    page.wait_for_selector(f"a[href='/stadtteilbuero/patenschaften/{mentorship.pk}/']")
    page.goto(f"{demo_site.url}/stadtteilbuero/patenschaften/{mentorship.pk}/")
    page.wait_for_selector(f"text={mentorship.volunteer.name}")
    check()
    page.goto(f"{demo_site.url}/stadtteilbuero/patenschaften/?q=Haddad")
    page.get_by_role("link", name="Haddad, Samira: Patenschaft anlegen").click()
    page.wait_for_url("**/stadtteilbuero/patenschaften/neu/*/")
    check()
    page.select_option("#id_volunteer", label=mentorship.volunteer.name)
    page.get_by_role("button", name="Patenschaft anlegen").click()
    page.wait_for_selector("text=braucht es eine gültige Einwilligung")
    assert all("400" in error for error in staff.take_console_errors())
    check()

    # Correcting a counselling entry; a booking deleted only after the confirmation.
    entry = CounsellingEntry.objects.order_by("-pk").first()
    assert entry is not None
    page.goto(f"{demo_site.url}/stadtteilbuero/beratung/{entry.pk}/bearbeiten/")
    check()
    page.goto(f"{demo_site.url}/stadtteilbuero/buchungen/{booking.pk}/loeschen/")
    page.wait_for_selector("text=Ja, Buchung löschen")
    check()

    page.goto(f"{demo_site.url}/stadtteilbuero/kennzahlen/")
    check()

    # The partner sees its own consultation hours, nothing else of the office.
    partner = visitor("neighbourhood-partner", as_user="demo-partner")
    partner.page.goto(f"{demo_site.url}/stadtteilbuero/raeume/")
    visited.append(partner.page.url)
    problems.extend(partner.audit())
    assert "Sprechstunde Migrationsberatung (Caritas)" in partner.page.content()
    assert "Seniorensport" not in partner.page.content()
    assert not problems, report("Neustadtbüro", problems, visited)
