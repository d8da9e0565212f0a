"""Declarative building blocks shared by every domain's models."""

import enum
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base, orm_registry
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from incubator.db import sqlite as _sqlite_pragmas  # noqa: F401  (registers them)

__all__ = ("JSON_DOCUMENT", "ParkScoped", "UUIDv7AuditBase", "UUIDv7Base", "enum_column", "metadata")

metadata = orm_registry.metadata
JSON_DOCUMENT = sa.JSON().with_variant(JSONB(), "postgresql")
"""JSON, stored as jsonb on PostgreSQL. (advanced-alchemy's JsonB does not yet run on SQLAlchemy 2.1.)"""


class ParkScoped:
    """A row that belongs to one park (the tenant).

    ``park_id`` is part of the primary key so that keys, unique constraints and foreign keys
    between park-scoped tables all carry the park: a row can never point into another park.
    The tenancy safety net in :mod:`incubator.db.tenancy` recognises models by this mixin.
    """

    @declared_attr
    def park_id(cls) -> Mapped[UUID]:
        return mapped_column(
            sa.ForeignKey("parks.id", ondelete="RESTRICT"), primary_key=True, index=True, sort_order=-90
        )


def enum_column(enum_type: type[enum.Enum], name: str, **kwargs: Any) -> Any:
    """A string column holding an enum's values, checked by the database."""
    return mapped_column(
        sa.Enum(
            enum_type,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(m.value) for m in enum_type),
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )
