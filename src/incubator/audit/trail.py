"""Writing the audit trail.

Every create, update and delete of an audited model (all ``UUIDv7AuditBase`` models) is
noted by a ``before_flush`` hook and written in the same flush, so the same transaction, as the
change: if the change rolls back, so does its record. Actions that change no row (a login,
revealing an ID number, a rating transition) call :func:`record` from their service.
"""

import datetime
import enum
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.mixins.uuid import uuid7
from sqlalchemy import event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, Session

from incubator.audit.models import AuditEntry
from incubator.db.base import UUIDv7AuditBase
from incubator.db.tenancy import PARK_KEY

ACTOR_KEY = "actor"
_NOTED_KEY = "audit_noted"
_NOT_AUDITED = frozenset({"id", "created_at", "updated_at"})


def bind_actor(session: AsyncSession | Session, user_id: UUID | None, email: str) -> None:
    _sync(session).info[ACTOR_KEY] = (user_id, email)


def record(
    session: AsyncSession | Session,
    action: str,
    entity_type: str,
    entity_id: object,
    *,
    park_id: UUID | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    sync = _sync(session)
    actor_id, actor_email = sync.info.get(ACTOR_KEY, (None, "system"))
    entry = AuditEntry(
        actor_id=actor_id,
        actor_email=actor_email,
        park_id=park_id if park_id is not None else sync.info.get(PARK_KEY),
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        changes=changes or {},
    )
    sync.add(entry)
    return entry


def _sync(session: AsyncSession | Session) -> Session:
    return session.sync_session if isinstance(session, AsyncSession) else session


def _plain(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal | UUID | datetime.date | datetime.datetime):
        return str(value)
    return repr(value)


def _park_of(obj: UUIDv7AuditBase) -> UUID | None:
    from incubator.parks.models import Park

    if isinstance(obj, Park):
        return obj.id
    return getattr(obj, "park_id", None)


@cache
def _audited_keys(mapper: Mapper[Any]) -> list[str]:
    return [attr.key for attr in mapper.column_attrs if attr.key not in _NOT_AUDITED and not attr.key.startswith("_")]


def _column_changes(obj: UUIDv7AuditBase, *, deleted: bool = False) -> dict[str, Any]:
    excluded = _NOT_AUDITED | getattr(obj, "__audit_exclude__", frozenset())
    state = inspect(obj)
    changes: dict[str, Any] = {}
    if state.transient or state.pending:  # what a new record was given is its change (quicker than history)
        for key in _audited_keys(state.mapper):
            if key in excluded and key in state.dict:
                changes[key] = {"before": None, "after": "changed"}
            elif key not in excluded and state.dict.get(key) is not None:
                changes[key] = {"before": None, "after": _plain(state.dict[key])}
        return changes
    for attr in state.mapper.column_attrs:
        if attr.key in _NOT_AUDITED or attr.key.startswith("_"):
            continue
        history = state.attrs[attr.key].history
        if attr.key in excluded:
            if history.has_changes() and not deleted:
                changes[attr.key] = {"before": None, "after": "changed"}  # that it changed, never the value
            continue
        if deleted:
            changes[attr.key] = {"before": _plain(state.attrs[attr.key].loaded_value), "after": None}
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before != after:
                changes[attr.key] = {"before": _plain(before), "after": _plain(after)}
    return changes


@event.listens_for(Session, "before_flush")
def _audit_changes(session: Session, _flush_context: object, _instances: object) -> None:
    """Note each change while its before-values are still known; :func:`_write_noted` writes them."""
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise PermissionError("the audit trail is append-only")
    noted: list[dict[str, Any]] = []
    session.info[_NOTED_KEY] = noted
    for obj in list(session.new):
        if isinstance(obj, UUIDv7AuditBase):
            if obj.id is None:
                obj.id = uuid7()  # the audit row needs the id before the flush assigns it
            noted.append(_row(session, obj, "create", _column_changes(obj)))
    for obj in list(session.dirty):
        if isinstance(obj, UUIDv7AuditBase) and session.is_modified(obj, include_collections=False):
            changes = _column_changes(obj)
            if changes:
                noted.append(_row(session, obj, "update", changes))
    for obj in list(session.deleted):
        if isinstance(obj, UUIDv7AuditBase):
            noted.append(_row(session, obj, "delete", _column_changes(obj, deleted=True)))


@event.listens_for(Session, "after_flush")
def _write_noted(session: Session, _flush_context: object) -> None:
    """Written after the changed rows, so that a new park exists before the entry that names it."""
    noted = session.info.pop(_NOTED_KEY, None)
    if noted:
        session.connection().execute(sa.insert(AuditEntry), noted)


@event.listens_for(Session, "after_soft_rollback")
def _forget_noted(session: Session, _previous_transaction: object) -> None:
    session.info.pop(_NOTED_KEY, None)


def _row(session: Session, obj: UUIDv7AuditBase, action: str, changes: dict[str, Any]) -> dict[str, Any]:
    actor_id, actor_email = session.info.get(ACTOR_KEY, (None, "system"))
    return {
        "id": uuid7(),
        "occurred_at": datetime.datetime.now(datetime.UTC),
        "actor_id": actor_id,
        "actor_email": actor_email,
        "park_id": _park_of(obj),
        "action": action,
        "entity_type": obj.__tablename__,
        "entity_id": str(obj.id),
        "changes": changes,
    }
