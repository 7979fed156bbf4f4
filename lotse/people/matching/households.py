"""Whether a list of records has households: the choice of the weight profile.

In a population register, several people share an address — parents, children, lodgers —
and the REGISTER profile keeps them apart (twins, fathers and sons of one name). In a list
without households (the FEBRL benchmark, many customer lists), records at one address are
nearly always one person written twice, and the GENERIC profile, which weighs the address
as strong evidence, finds more of them (it would also join a family: it must not be used on
a register). So the data decides: among addresses shared by several records, how many hold
two clearly different people — given names and birth dates both disagreeing?

Measured on the benchmark data: 1.3 % of the shared addresses in FEBRL1, 0.6 % in FEBRL2,
97 % in the synthetic migrant registers (2,000 and 10,000 persons); the cut-off of 10 % lies
far from both. Too few shared addresses to judge, or none, leave the careful choice: REGISTER.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .dates import DATE_DISAGREE, compare_dates
from .records import PersonRecord, Prepared, address_key, prepare
from .scoring import DISAGREE, GENERIC, REGISTER, Profile, compare_fields

MIN_SHARED = 20  # shared addresses needed to judge
MAX_SHARED = 500  # enough to judge a register of any size (the first ones, in file order)
MAX_AT_ONE_ADDRESS = 12  # a hostel with hundreds of residents says no more than its first dozen
HOUSEHOLD_SHARE = 0.10


def _different_people(group: list[Prepared]) -> bool:
    """Two records here whose given names and birth dates both disagree: no spelling
    variant or typo, but two people (a couple, a parent and a child)."""
    for i, a in enumerate(group):
        for b in group[i + 1 :]:
            if (
                compare_fields(a.given, b.given).level == DISAGREE
                and compare_dates(a.date, b.date) == DATE_DISAGREE
            ):
                return True
    return False


def choose_profile(records: Sequence[PersonRecord]) -> Profile:
    """REGISTER if the records show households (or too little to tell), else GENERIC."""
    by_address: dict[tuple[str, str, str], list[PersonRecord]] = defaultdict(list)
    for record in records:
        if (key := address_key(record)) is not None:
            by_address[key].append(record)
    shared = [group for group in by_address.values() if len(group) > 1][:MAX_SHARED]
    if len(shared) < MIN_SHARED:
        return REGISTER
    households = sum(_different_people([prepare(r) for r in group[:MAX_AT_ONE_ADDRESS]]) for group in shared)
    return REGISTER if households >= HOUSEHOLD_SHARE * len(shared) else GENERIC
