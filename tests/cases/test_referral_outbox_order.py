"""The outbox at scale: overdue referrals first, then the others, each newest first — read in
parts that indexes serve in order, narrowed to what the user's units sent (``sent``), not the
referrals they may see for any reason (an outreach worker also receives): the same rows in
the same order as the one sorted query, for every state filter and page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory

from lotse.cases.models import Referral
from lotse.cases.selectors import referrals as selectors
from lotse.cases.services import referrals as referral_services
from lotse.cases.services.consents import consent_withdraw
from lotse.cases.views.referrals import OUTBOX_FILTERS
from lotse.core import access
from lotse.core.pages import AFTER_PARAM, keyset_page
from tests.cases.sharing import PROVISION
from tests.queries import read_in_order

pytestmark = pytest.mark.django_db

OUTBOX = "/verweisungen/ausgang/"
OUTREACH = "aufsuchende-sozialarbeit"
STATES = ["", *(value for value, _label in OUTBOX_FILTERS)]


def walk(user, status, size) -> list[int]:
    """Every row of the outbox with ``status``, page by page as the pager links them."""
    seen: list[int] = []
    query = ""
    first, others = selectors.outbox_parts(status)
    rows = selectors.referral_outbox(user, status=status)
    while True:
        request = RequestFactory().get(f"{OUTBOX}?{query}")
        request.user = user
        page = keyset_page(
            request, rows, ordering=selectors.OUTBOX_ORDER, size=size, first=first, others=others
        )
        seen += [row.pk for row in page]
        if not page.next_query:
            return seen
        assert AFTER_PARAM in page.next_query
        query = page.next_query


def plain(user, status) -> list[int]:
    """The outbox as it was read before the parts: one sorted query over every referral the
    user may see (sent or received) that the user's units sent."""
    units = access.pks(user, selectors.Unit, "outbox")
    rows = access.visible(user, Referral).filter(from_unit_id__in=units)
    if status == "open":
        rows = rows.filter(status__in=selectors.OPEN, access_ended_at__isnull=True)
    elif status == "check_due":
        rows = rows.filter(status=Referral.Status.DONE, check_result="", check_due__isnull=False)
    elif status:
        rows = rows.filter(status=status)
    return [r.pk for r in selectors._with_overdue(rows).order_by(*selectors.OUTBOX_ORDER)]


@pytest.fixture
def outbox(sharing):
    """Referrals the outreach team sent in every state, overdue or not, with and without a due
    date, one whose receiver lost access (a withdrawn consent); the referrals it received
    (each person came to it from the Clearingstelle, overdue or not), which are not its
    outbox's."""
    p = sharing.p
    received = []

    def known(given: str):
        """A person the Clearingstelle referred to the outreach team (so that it may refer on)."""
        person = sharing.person(given, "Lupu")
        due = sharing.days(-2 if len(received) % 2 else 3)
        received.append(sharing.refer(person, OUTREACH, legal_basis=PROVISION, due_date=due))
        return person

    def send(due: int | None = None, **values):
        return sharing.refer(
            known(f"Ion{len(received)}"),
            "caritas-mbe",
            legal_basis=PROVISION,
            actor=p.outreach,
            from_unit=OUTREACH,
            due_date=sharing.days(due) if due is not None else None,
            **values,
        )

    person = known("Ana")
    consent = sharing.consent(person, p.charity, actor=p.outreach)
    ended = sharing.refer(
        person, consent=consent, actor=p.outreach, from_unit=OUTREACH, due_date=sharing.days(-5)
    )
    sent = [
        send(-3),  # overdue
        send(4),
        send(),  # no due date
        sharing.accept(send(-1)),  # overdue
        sharing.complete(send(-6)),  # done: not overdue
        send(4),
        sharing.decline(send(2)),
        sharing.start(send(-2)),  # overdue
        send(0),  # due today: not overdue yet
        referral_services.referral_withdraw(actor=p.outreach, referral=send(-4), reason="verzogen"),
        ended,
    ]
    consent_withdraw(actor=p.outreach, consent=consent, withdrawn_on=sharing.today)
    return {"sent": [Referral.objects.get(pk=r.pk) for r in sent], "received": received}


@pytest.mark.parametrize("name", ["outreach", "clearing"])  # sends and receives; only sends
@pytest.mark.parametrize("status", STATES)
def test_the_outbox_pages_in_parts_as_in_one_order(sharing, outbox, name, status):
    user = getattr(sharing.p, name)
    expected = plain(user, status)
    if not status:
        sent = outbox["sent"] if name == "outreach" else outbox["received"]
        assert sorted(expected) == sorted(r.pk for r in sent)
        rows = {r.pk: r for r in selectors.referral_outbox(user)}
        overdue = [pk for pk in expected if rows[pk].overdue]
        assert len(overdue) == (3 if name == "outreach" else 5) and expected[: len(overdue)] == overdue
    assert expected == [r.pk for r in selectors.referral_outbox(user, status=status)]
    for size in (1, 2, 3, 25):
        assert walk(user, status, size) == expected, (status, size)


def test_the_outbox_lists_only_what_the_units_sent(sharing, outbox, personas):
    user = personas.outreach
    listed = {r.pk for r in selectors.referral_outbox(user)}
    assert not listed & {r.pk for r in outbox["received"]}  # received: the inbox's
    # What the outbox may list is a part of what the user may see.
    for persona in (personas.outreach, personas.clearing, personas.partner, personas.outsider):
        sent = set(access.visible(persona, Referral, "sent").values_list("pk", flat=True))
        assert sent <= set(access.visible(persona, Referral).values_list("pk", flat=True))
    assert set(access.visible(user, Referral, "sent").values_list("pk", flat=True)) == listed
    # Nobody else lists the outreach team's referrals in an outbox.
    for persona in (personas.clearing, personas.partner, personas.outsider, personas.head, personas.housing):
        assert not listed & {r.pk for r in selectors.referral_outbox(persona)}
        assert not listed & set(access.visible(persona, Referral, "sent").values_list("pk", flat=True))


@pytest.mark.parametrize("name", ["partner", "head", "dpo", "admin", "statistics"])
def test_who_sends_nothing_has_no_outbox(sharing, outbox, client_for, name):
    assert client_for(getattr(sharing.p, name)).get(OUTBOX).status_code == 404


@pytest.mark.parametrize("name", ["clearing", "housing", "outsider", "school_county", "neighbourhood"])
def test_other_units_do_not_see_the_outbox_of_the_outreach_team(sharing, outbox, client_for, name):
    response = client_for(getattr(sharing.p, name)).get(OUTBOX)
    page = response.content.decode()
    assert response.status_code in (200, 404)
    for referral in outbox["sent"]:
        assert f'href="/verweisungen/{referral.pk}/"' not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
@pytest.mark.parametrize("status", STATES)
def test_each_part_of_the_outbox_is_read_in_order_from_an_index(sharing, status):
    rows = selectors.referral_outbox(sharing.p.outreach, status=status)
    rest = selectors.OUTBOX_ORDER[1:]
    first, others = selectors.outbox_parts(status)
    for part in ([] if first == selectors.NOTHING else [first]) + others:
        assert read_in_order(rows.filter(part).order_by(*rest)[:26]), part


def test_the_partial_indexes_name_the_open_and_closed_states_of_the_model():
    from lotse.cases.models.referral import CLOSED_VALUES, OPEN_VALUES

    assert set(OPEN_VALUES) == set(Referral.OPEN_STATES)
    assert set(CLOSED_VALUES) == set(Referral.Status.values) - set(Referral.OPEN_STATES)
