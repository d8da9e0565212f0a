"""The tenancy safety net: every ORM query on a park-scoped model is filtered to the bound park.

Services already build their queries from ``select(Model).where(Model.park_id == park_id)``;
this listener is the second line. A query on a park-scoped model with no park bound raises,
unless the caller says, in the statement's execution options, that it crosses parks.
"""

from uuid import UUID

from advanced_alchemy.types import GUID
from sqlalchemy import event, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from incubator.db.base import ParkScoped

PARK_KEY = "park_id"
ALL_PARKS = {"all_parks": True}
"""Execution options for a statement that deliberately reads across parks (bureau views, auth); the same
key in ``session.info`` opens a whole session (tests arranging data)."""


class TenancyError(RuntimeError):
    """A park-scoped model was queried without a park bound to the session."""


def bind_park(session: AsyncSession | Session, park_id: UUID) -> None:
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    bound = sync.info.get(PARK_KEY)
    if bound is not None and bound != park_id:
        raise TenancyError(f"session already bound to park {bound}")
    sync.info[PARK_KEY] = park_id


def release_park(session: AsyncSession | Session) -> None:
    """For batch jobs that work one park after another (the demo loader): unbind the finished park."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info.pop(PARK_KEY, None)


@event.listens_for(Session, "before_flush")
def _new_rows_stay_in_the_bound_park(session: Session, _context: object, _instances: object) -> None:
    park_id = session.info.get(PARK_KEY)
    if park_id is None:
        return
    for obj in session.new:
        if isinstance(obj, ParkScoped) and obj.park_id != park_id:
            raise TenancyError("a new row names another park than the one bound to the session")


def _touches_park_scoped(state: ORMExecuteState) -> bool:
    return any(issubclass(mapper.class_, ParkScoped) for mapper in state.all_mappers)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_bound_park(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get("all_parks") or state.session.info.get("all_parks"):
        return
    park_id = state.session.info.get(PARK_KEY)
    if park_id is None:
        if _touches_park_scoped(state):
            raise TenancyError("query on a park-scoped model without a bound park")
        return
    # Typed outside the lambda: inside it a bare UUID would be bound by its Python type (as hex text on
    # SQLite), not as the column's binary GUID, and match nothing.
    bound_park = type_coerce(park_id, GUID(length=16))
    state.statement = state.statement.options(
        with_loader_criteria(ParkScoped, lambda cls: cls.park_id == bound_park, include_aliases=True)
    )
