"""The kinds of record a file can be imported into: a park's (by its operators) and the city's mentor pool
(by the bureau)."""

from incubator.exchange.importing import ImportKind
from incubator.incubatees.imports import KIND as INCUBATEES
from incubator.mentors.imports import KIND as MENTORS
from incubator.space.imports import KIND as UNITS
from incubator.trainings.imports import KIND as ATTENDANCE

PARK_KINDS: dict[str, ImportKind] = {kind.key: kind for kind in (INCUBATEES, UNITS, ATTENDANCE)}

__all__ = ("MENTORS", "PARK_KINDS")
