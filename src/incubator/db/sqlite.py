"""SQLite connections behave like PostgreSQL where it matters: foreign keys enforced, readers not
blocked by a writer (WAL), and Chinese sorted by pinyin."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.util import await_only

from incubator.db.portable import SQLITE_COLLATION, compare_pinyin


@event.listens_for(Engine, "connect")
def _sqlite_setup(dbapi_connection: Any, _record: Any) -> None:
    if "sqlite" not in type(dbapi_connection).__module__:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
    aiosqlite_connection = dbapi_connection._connection
    # aiosqlite runs sqlite3 in its own thread, and has no call for collations: run it there.
    await_only(
        aiosqlite_connection._execute(aiosqlite_connection._conn.create_collation, SQLITE_COLLATION, compare_pinyin)
    )
