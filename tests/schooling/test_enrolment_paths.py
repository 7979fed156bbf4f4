"""The enrolment path: each step dated with who did it, in order; bad input refused in German
with nothing half-saved; the headline figure from arrival to the first school day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lotse.schooling import selectors, services
from lotse.schooling.models import Enrolment, ListedChild

from .conftest import listed, school

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_path_from_registration_to_the_first_school_day(family, personas):
    elena = listed(family, "Elena")
    primary = school()
    actor = personas.school_county
    path = services.enrolment_register(actor=actor, child=elena, school=primary, on=D(2026, 9, 7))
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 14), assessment="A1"
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 21), class_name="5b", language_class=True
    )
    path = services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 9, 28))
    path.refresh_from_db()
    assert (path.registered_by, path.assessed_by, path.placed_by, path.first_day_by) == (actor,) * 4
    # Arrival 1 September 2026, first school day 28 September: 27 days.
    assert path.days_to_first_school_day == 27
    assert services.places_taken(primary) == 1
    assert not selectors.waiting_for(actor).filter(pk=elena.pk).exists()


def test_steps_out_of_order_are_refused(family, personas):
    path = services.enrolment_register(
        actor=personas.school_city, child=listed(family, "Elena"), school=school(), on=D(2026, 9, 7)
    )
    with pytest.raises(ValidationError, match="Zuerst kommt der Schritt „Sprachstandsfeststellung“"):
        services.enrolment_step(
            actor=personas.school_city, enrolment=path, step="placed", on=D(2026, 9, 8), class_name="5b"
        )
    path.refresh_from_db()
    assert path.placed_on is None and path.version == 1


def test_a_first_school_day_before_the_registration_is_refused(family, personas):
    actor = personas.school_city
    path = services.enrolment_register(
        actor=actor, child=listed(family, "Elena"), school=school(), on=D(2026, 9, 7)
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 7), assessment="A1"
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 8), class_name="5b"
    )
    with pytest.raises(ValidationError) as error:
        services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 9, 1))
    assert error.value.message_dict == {
        "first_day": ["Der erste Schultag kann nicht vor der Anmeldung (07.09.2026) liegen."]
    }
    path.refresh_from_db()
    assert path.first_day is None


def test_a_placement_into_a_full_language_class_is_refused_with_the_reason(family, personas):
    actor = personas.school_city
    full = school(places=1)
    for given in ("Elena", "Andrei"):
        path = services.enrolment_register(
            actor=actor, child=listed(family, given), school=full, on=D(2026, 9, 7)
        )
        path = services.enrolment_step(
            actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 7), assessment="A0"
        )
        if given == "Elena":
            services.enrolment_step(
                actor=actor,
                enrolment=path,
                step="placed",
                on=D(2026, 9, 8),
                class_name="5b",
                language_class=True,
            )
    with pytest.raises(
        ValidationError, match="„Grundschule Neustadt“ ist voll: alle 1 Plätze in Sprachklassen"
    ):
        services.enrolment_step(
            actor=actor, enrolment=path, step="placed", on=D(2026, 9, 8), class_name="3a", language_class=True
        )
    path.refresh_from_db()
    assert path.placed_on is None
    # A regular class is not limited by the language-class places.
    services.enrolment_step(actor=actor, enrolment=path, step="placed", on=D(2026, 9, 8), class_name="3a")


def test_a_second_active_enrolment_is_refused(family, personas):
    actor = personas.school_city
    elena = listed(family, "Elena")
    services.enrolment_register(actor=actor, child=elena, school=school(), on=D(2026, 9, 7))
    other = school(name="Sekundarschule Am Tor", kind="secondary")
    with pytest.raises(ValidationError, match="ist schon an „Grundschule Neustadt“ angemeldet"):
        services.enrolment_register(actor=actor, child=elena, school=other, on=D(2026, 9, 8))
    assert Enrolment.objects.filter(child=elena).count() == 1
    # After ending the first path, a new one may start.
    services.enrolment_end(
        actor=actor, enrolment=Enrolment.objects.get(child=elena), on=D(2026, 9, 8), reason="Schulwechsel"
    )
    services.enrolment_register(actor=actor, child=elena, school=other, on=D(2026, 9, 8))


def test_a_day_care_child_needs_a_day_care_centre_and_skips_the_language_assessment(family, personas):
    actor = personas.school_city
    maria = listed(family, "Maria", ListedChild.Need.DAY_CARE)
    with pytest.raises(ValidationError, match="bitte eine Kita wählen"):
        services.enrolment_register(actor=actor, child=maria, school=school(), on=D(2026, 9, 7))
    kita = school(name="Kita Sonnenschein", kind="day_care", places=1)
    path = services.enrolment_register(actor=actor, child=maria, school=kita, on=D(2026, 9, 7))
    assert services.next_step(path) == "placed"
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 10), class_name="Bären"
    )
    path = services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 10, 1))
    assert services.places_taken(kita) == 1


def test_outsiders_cannot_write(family, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.enrolment_register(
            actor=personas.outreach, child=listed(family, "Elena"), school=school(), on=D(2026, 9, 7)
        )


def test_percentile_and_figures(family, personas):
    assert selectors.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9
    assert selectors.percentile([5], 0.9) == 5
    actor = personas.school_city
    path = services.enrolment_register(
        actor=actor, child=listed(family, "Elena"), school=school(), on=D(2026, 9, 7)
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 7), assessment="A1"
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 8), class_name="5b"
    )
    services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 10, 5))
    figures = selectors.figures_for(actor, D(2026, 12, 7))
    assert (figures.found, figures.placed, figures.waiting) == (2, 1, 1)
    assert figures.quarters == [{"quarter": "2026/Q4", "count": 1, "median": 34, "p90": 34}]
    assert figures.days_to_placement == 7  # arrival 1 September, placed 8 September
    # Andrei waits since 1 September: 97 days, longer than the target of 42.
    assert figures.over_target == 1
    # The head of office sees the aggregates, small counts suppressed, no median of one child.
    head = selectors.figures_for(personas.head, D(2026, 12, 7))
    assert (head.found, head.placed) == ("< 5", "< 5")
    assert head.quarters[0]["median"] is None
