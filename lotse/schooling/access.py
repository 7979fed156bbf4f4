"""Access rules of the school team: its list of children, their enrolment paths and missed-
schooling reports, its schools — and the reason the team sees a person.

- The list is the team's: members of a school-team unit who may view cases see the children
  listed for that unit and held by their own organisation, and those held by another
  organisation of the unit only while a joint-controller arrangement (Art. 26 GDPR) of the
  unit, confirmed by both, is in force (decision 0016). Members who may edit cases write.
  Enrolment paths and reports follow their child.
- A person is seen by the team for exactly two reasons: the child is on its list (open or
  closed: the path stays readable), or the person is a parent of such a child (head or
  partner of the child's household) — for their contact data. Nothing else of the register.
- Schools and day-care centres belong to a school team: its members see them, its writers
  keep them.

Registered with ``lotse.core.access`` by ``SchoolingConfig.ready``; nobody imports this module.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from lotse.accounts import policy
from lotse.accounts.models import Unit
from lotse.accounts.roles import Capability as C
from lotse.core import access
from lotse.people.models import Household, Person
from lotse.schooling.models import Enrolment, ListedChild, MissedSchoolingReport, School, TeamSettings

PARENTS = (Person.Relationship.HEAD, Person.Relationship.PARTNER)


def _team_units(user: Any, *wanted: C) -> set[int]:
    """The user's school-team units in which they hold any of ``wanted``."""
    ids = policy.unit_ids(user, *wanted)
    return {
        m.unit_id for m in policy.memberships_of(user) if m.unit_id in ids and m.unit.kind == Unit.Kind.SCHOOL
    }


def _holders(user: Any, unit_id: int) -> frozenset[int]:
    own = frozenset({user.organisation_id} if user.organisation_id else ())
    return own.union(*(parties for _, parties in policy.joint_arrangements(user).get(unit_id, [])))


def _held(user: Any, units: set[int], path: str = "") -> Q | None:
    if not units:
        return None
    result = access.NOTHING
    for unit_id in units:
        result |= Q(**{f"{path}unit_id": unit_id, f"{path}organisation_id__in": _holders(user, unit_id)})
    return result


def _reading(user: Any) -> set[int]:
    return _team_units(user, C.VIEW_CASES)


def _writing(user: Any) -> set[int]:
    return _team_units(user, C.EDIT_CASES)


access.reason(ListedChild, "view", "school_team")(lambda user: _held(user, _reading(user)))
access.reason(ListedChild, "edit", "school_team")(lambda user: _held(user, _writing(user)))
for model in (Enrolment, MissedSchoolingReport):
    access.reason(model, "view", "school_team")(lambda user: _held(user, _reading(user), "child__"))
    access.reason(model, "edit", "school_team")(lambda user: _held(user, _writing(user), "child__"))


@access.basis(ListedChild)
def basis_of_child_read(user: Any, child: ListedChild) -> dict[str, Any] | None:
    """Reading another organisation's child names the arrangement it rests on (0016)."""
    if child.organisation_id == user.organisation_id:
        return None
    for arrangement_id, parties in policy.joint_arrangements(user).get(child.unit_id, []):
        if child.organisation_id in parties:
            return {"joint_arrangement": arrangement_id}
    return None


@access.check(ListedChild, "list")
def may_see_the_list(user: Any, target: Any) -> bool:
    return bool(_reading(user))


@access.check(ListedChild, "edit")
def may_work_for_child(user: Any, child: ListedChild) -> bool:
    return child.unit_id in _writing(user) and child.organisation_id in _holders(user, child.unit_id)


@access.check(ListedChild, "figures")
def may_see_figures(user: Any, target: Any) -> bool:
    """The team's figures: its members; the aggregates role of the organisations sees them with
    small counts suppressed (see ``selectors.figures_for``)."""
    return bool(_reading(user)) or policy.has_capability(user, C.VIEW_AGGREGATES)


@access.reason(Unit, "figures", "school_team")
def units_for_figures(user: Any) -> Q | None:
    """Whose figures: the user's own school teams, and with aggregate rights every school team
    of their organisation."""
    own = _reading(user)
    result = Q(pk__in=own) if own else None
    if policy.has_capability(user, C.VIEW_AGGREGATES) and user.organisation_id:
        theirs = Q(kind=Unit.Kind.SCHOOL, organisations=user.organisation_id)
        result = theirs if result is None else result | theirs
    return result


# --- persons: the children on the list and their parents ------------------------------------


def _listed(user: Any) -> Any:
    held = _held(user, _reading(user))
    return ListedChild.objects.filter(held) if held is not None else None


@access.reason(Person, "view", "school_list")
def children_and_parents(user: Any) -> Q | None:
    listed = _listed(user)
    if listed is None:
        return None
    return Q(pk__in=listed.values("person_id")) | Q(
        household_id__in=listed.filter(person__household__isnull=False).values("person__household_id"),
        relationship__in=PARENTS,
    )


@access.reason(Household, "view", "school_list")
def households_of_listed_children(user: Any) -> Q | None:
    listed = _listed(user)
    if listed is None:
        return None
    return Q(pk__in=listed.filter(person__household__isnull=False).values("person__household_id"))


# --- schools ---------------------------------------------------------------------------------

access.reason(School, "view", "school_team")(
    lambda user: Q(unit_id__in=units) if (units := _reading(user)) else None
)
access.reason(School, "edit", "school_team")(
    lambda user: Q(unit_id__in=units) if (units := _writing(user)) else None
)
access.reason(TeamSettings, "view", "school_team")(
    lambda user: Q(unit_id__in=units) if (units := _reading(user)) else None
)
access.reason(TeamSettings, "edit", "school_team")(
    lambda user: Q(unit_id__in=units) if (units := _writing(user)) else None
)
access.reason(Unit, "school_member", "member")(
    lambda user: Q(pk__in=units) if (units := _reading(user)) else None
)
access.reason(Unit, "school_team", "member")(
    lambda user: Q(pk__in=units) if (units := _writing(user)) else None
)


@access.check(School, "list")
def may_list_schools(user: Any, target: Any) -> bool:
    return bool(_reading(user))


@access.check(School, "create")
def may_add_schools(user: Any, target: Any) -> bool:
    return bool(_writing(user))
