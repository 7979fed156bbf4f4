"""The school team's page of a child and the letters to the parents leave out an address the
register blocks (§§ 51, 52 BMG, decision 0028): ``parents_of`` is the one place both read it."""

from __future__ import annotations

import pytest

from lotse.core.services import audited_update
from lotse.people import protection
from lotse.people.models import RegisterBlock
from lotse.people.services import dwelling_for
from tests.people.conftest import NEUSTADT

from .conftest import listed
from .test_letters import text_of

pytestmark = pytest.mark.django_db


def at_neustadt(personas, person):
    dwelling = dwelling_for(actor=None, address=NEUSTADT, organisation_id=personas.city.pk)
    audited_update(actor=None, instance=person, data={"dwelling": dwelling})


def test_a_blocked_parents_address_is_neither_shown_nor_printed(family, personas, client_for):
    child = listed(family, "Elena")
    at_neustadt(personas, family.parent)
    client = client_for(personas.school_city)
    letter_url = f"/schulteam/kinder/{child.pk}/brief/einladung/ro/"
    assert "Naumburger Straße" in client.get(f"/schulteam/kinder/{child.pk}/").content.decode()
    assert "Naumburger Straße" in text_of(client.get(letter_url).content)
    protection.register_block_set(
        actor=personas.clearing, person=family.parent, kind=RegisterBlock.INFORMATION_BLOCK
    )
    page = client.get(f"/schulteam/kinder/{child.pk}/").content.decode()
    assert "Naumburger Straße" not in page and "gesperrt (Melderegister)" in page
    text = text_of(client.get(letter_url).content)
    assert "Naumburger Straße" not in text and "Zustellung über die Meldebehörde" in text
    assert "Ioana Marinescu" in text  # the letter still names the parent


def test_a_blocked_child_hides_the_parents_address_too(family, personas, client_for):
    child = listed(family, "Elena")
    at_neustadt(personas, family.parent)
    protection.register_block_set(
        actor=personas.clearing, person=child.person, kind=RegisterBlock.CONDITIONAL
    )
    page = client_for(personas.school_city).get(f"/schulteam/kinder/{child.pk}/").content.decode()
    assert "Naumburger Straße" not in page and "bedingter Sperrvermerk (§ 52 BMG)" in page
