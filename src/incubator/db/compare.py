"""How Alembic compares column types, for the drift check and autogenerate."""

from typing import Any

from sqlalchemy.types import TypeDecorator


def _sqlite_affinity(ddl: str) -> str:
    """SQLite's type affinity of a declared type (https://sqlite.org/datatype3.html, 3.1)."""
    name = ddl.upper()
    if "INT" in name:
        return "INTEGER"
    if any(word in name for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in name or not name:
        return "BLOB"
    if any(word in name for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def compare_type(
    context: Any, inspected_column: Any, metadata_column: Any, inspected_type: Any, metadata_type: Any
) -> bool | None:
    """On SQLite, reflection loses custom type names (a ``BINARY(16)`` UUID reads back as
    ``NUMERIC(16)``), so compare what SQLite itself keeps: the affinity. Elsewhere, Alembic's default."""
    dialect = context.dialect
    if dialect.name != "sqlite" or not isinstance(metadata_type, TypeDecorator):
        return None
    declared = metadata_type.load_dialect_impl(dialect).compile(dialect=dialect)
    return _sqlite_affinity(declared) != _sqlite_affinity(inspected_type.compile(dialect=dialect))
