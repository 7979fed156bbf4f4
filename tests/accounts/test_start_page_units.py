"""The start page's units: the same units with the same organisations as ``units_visible_to``
reads, but the organisations of the user's own units are those the memberships brought."""

from __future__ import annotations

import pytest

from lotse.accounts import policy, selectors

pytestmark = pytest.mark.django_db


def test_the_start_pages_units_are_those_the_user_may_see_with_their_organisations(personas):
    for name, user in personas.all().items():
        plain = [(u.pk, [o.pk for o in u.organisations.all()]) for u in selectors.units_visible_to(user)]
        found = [
            (u.pk, [o.pk for o in u.organisations.all()]) for u in selectors.units_with_organisations(user)
        ]
        assert found == plain, name


@pytest.mark.parametrize(
    ("persona", "queries"), [("housing", 1), ("school_city", 1), ("head", 2), ("admin", 2)]
)
def test_only_the_organisations_of_other_units_are_read(
    personas, django_assert_num_queries, persona, queries
):
    user = getattr(personas, persona)
    policy.memberships_of(user)  # loaded once per request by the access layer
    # the units the user may see; for whom sees more than their own units: those units'
    # organisations.
    with django_assert_num_queries(queries):
        units = selectors.units_with_organisations(user)
        names = {o.name for unit in units for o in unit.organisations.all()}
    assert names
