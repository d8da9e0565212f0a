"""each park's leased area × days and rent per year, kept by triggers for the rating

Each insert, update or delete of a lease, and each change of a unit's area or use, recomputes the years of its
park the leases touch, from the leases of those years: on PostgreSQL once per statement from the transition
tables, on SQLite once per row; the figures follow ``incubator.ratings.metrics.lease_figures``. The existing
leases are rolled up the same way.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-26 06:45:02.000000
"""

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

SQL = {
    "postgresql": {
        "year": "CAST(EXTRACT(YEAR FROM {}) AS INTEGER)",
        "first_day": "make_date({}, 1, 1)",
        "last_day": "make_date({}, 12, 31)",
        "day": "(({})::date - DATE '2000-01-01')",
        "greatest": "GREATEST({}, {})",
        "least": "LEAST({}, {})",
        "per_day": "CAST(365 AS NUMERIC)",
    },
    "sqlite": {
        "year": "CAST(strftime('%Y', {}) AS INTEGER)",
        "first_day": "printf('%04d-01-01', {})",
        "last_day": "printf('%04d-12-31', {})",
        "day": "CAST(julianday({}) - julianday('2000-01-01') AS INTEGER)",
        "greatest": "max({}, {})",
        "least": "min({}, {})",
        "per_day": "(365 + 0.0)",
    },
}
"""The pieces of SQL that differ, as ``incubator.db.portable`` and SQLAlchemy write them for the metrics."""
YEARS_OF_A_LEASE = 100
LOCK_CLASS = 23
"""The first key of this migration's advisory locks; the second is the park's bucket of 256."""


def refresh(dialect: str, keys: str) -> str:
    """Recompute the figures of the park-years ``keys`` selects (park_id, year) from their leases."""
    sql = SQL[dialect]
    start, end = sql["first_day"].format("k.year"), sql["last_day"].format("k.year")
    first = sql["day"].format(sql["greatest"].format("l.starts_on", start))
    last = sql["day"].format(sql["least"].format("l.ends_on", end))
    charged_from = sql["greatest"].format(first, f"coalesce({sql['day'].format('l.rent_free_until')} + 1, {first})")
    charged_days = sql["greatest"].format(f"{last} - {charged_from} + 1", "0")
    return (
        "INSERT INTO lease_years (park_id, year, leased_area_days, rent) "
        "SELECT k.park_id, k.year, "
        f"coalesce(sum(CASE WHEN u.free_or_common THEN 0 ELSE u.area_m2 * ({last} - {first} + 1) END), 0), "
        f"coalesce(sum((l.monthly_rent * {charged_days} * 12) / {sql['per_day']}), 0) "
        f"FROM ({keys}) AS k "
        f"LEFT JOIN leases AS l ON l.park_id = k.park_id AND l.starts_on <= {end} AND l.ends_on >= {start} "
        "LEFT JOIN units AS u ON u.park_id = l.park_id AND u.id = l.unit_id "
        "WHERE true GROUP BY k.park_id, k.year "
        "ON CONFLICT (park_id, year) DO UPDATE SET leased_area_days = excluded.leased_area_days, rent = excluded.rent"
    )


def keys_of(dialect: str, leases: str, where: str = "true") -> str:
    """The park-years of the leases ``leases`` names (a FROM list ending in a lease ``l``), under ``where``:
    each year from its start's to its end's (on SQLite, whose triggers take no series, its first
    ``YEARS_OF_A_LEASE``; the service refuses leases of 50 years or more)."""
    first, last = (SQL[dialect]["year"].format(f"l.{day}") for day in ("starts_on", "ends_on"))
    if dialect == "postgresql":
        years = f"generate_series({first}, {last}) AS y"
        return f"SELECT DISTINCT l.park_id AS park_id, y AS year FROM {leases}, {years} WHERE {where}"
    offsets = ", ".join(f"({n})" for n in range(YEARS_OF_A_LEASE))
    return (
        f"SELECT DISTINCT l.park_id AS park_id, {first} + o.column1 AS year FROM {leases}, (VALUES {offsets}) AS o "
        f"WHERE {where} AND {first} + o.column1 <= {last}"
    )


def one_writer_per_park(keys: str) -> str:
    """As in 0022: on PostgreSQL, wait for others writing leases of the same parks, so the recount sees them."""
    return (
        f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, b.bucket) "
        f"FROM (SELECT DISTINCT hashtext(park_id::text) & 255 AS bucket FROM ({keys}) AS k ORDER BY bucket) AS b"
    )


EVENTS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}
"""The rows each event's trigger sees: a statement's transition tables on PostgreSQL, the row on SQLite."""
TRANSITIONS = {"NEW": "new_rows", "OLD": "old_rows"}


def lease_keys(dialect: str, rows: tuple[str, ...]) -> str:
    """The park-years of the leases an event touched."""
    if dialect == "postgresql":
        sources = [f"{TRANSITIONS[row]} AS l" for row in rows]
    else:
        sources = [
            f"(SELECT {row}.park_id AS park_id, {row}.starts_on AS starts_on, {row}.ends_on AS ends_on) AS l"
            for row in rows
        ]
    return " UNION ".join(keys_of(dialect, source) for source in sources)


def unit_keys(dialect: str) -> str:
    """The park-years of the leases of the units whose area or use an update changed."""
    if dialect == "postgresql":
        changed = (
            "l.park_id = n.park_id AND l.unit_id = n.id AND o.park_id = n.park_id AND o.id = n.id"
            " AND (n.area_m2, n.free_or_common) IS DISTINCT FROM (o.area_m2, o.free_or_common)"
        )
        return keys_of(dialect, "new_rows AS n, old_rows AS o, leases AS l", changed)
    return keys_of(dialect, "leases AS l", "l.park_id = NEW.park_id AND l.unit_id = NEW.id")


def create_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        recounts = {event: recount(dialect, lease_keys(dialect, rows)) for event, rows in EVENTS.items()}
        function("lease_years_from_leases", recounts)
        for event, rows in EVENTS.items():
            transitions = " ".join(f"{row} TABLE AS {TRANSITIONS[row]}" for row in sorted(rows, reverse=True))
            op.execute(
                f"CREATE TRIGGER lease_years_on_{event.lower()} AFTER {event} ON leases "
                f"REFERENCING {transitions} FOR EACH STATEMENT EXECUTE FUNCTION lease_years_from_leases()"
            )
        function("lease_years_from_units", {"UPDATE": recount(dialect, unit_keys(dialect))})
        op.execute(
            "CREATE TRIGGER lease_years_on_update AFTER UPDATE ON units REFERENCING OLD TABLE AS old_rows "
            "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION lease_years_from_units()"
        )
    else:
        for event, rows in EVENTS.items():
            op.execute(
                f"CREATE TRIGGER lease_years_on_leases_{event.lower()} AFTER {event} ON leases "
                f"BEGIN {refresh(dialect, lease_keys(dialect, rows))}; END"
            )
        op.execute(
            "CREATE TRIGGER lease_years_on_units_update AFTER UPDATE OF area_m2, free_or_common ON units "
            f"BEGIN {refresh(dialect, unit_keys(dialect))}; END"
        )
    op.execute(refresh(dialect, keys_of(dialect, "leases AS l")))


def recount(dialect: str, keys: str) -> str:
    return f"{one_writer_per_park(keys)}; {refresh(dialect, keys)};"


def function(name: str, branches: dict[str, str]) -> None:
    """A PostgreSQL trigger function running, for each event, its statements."""
    body = " ELS".join(f"IF TG_OP = '{event}' THEN {statements}" for event, statements in branches.items())
    op.execute(
        f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END IF; RETURN NULL; END $$"
    )


def drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER lease_years_on_{event} ON leases")
        op.execute("DROP TRIGGER lease_years_on_update ON units")
        op.execute("DROP FUNCTION lease_years_from_leases()")
        op.execute("DROP FUNCTION lease_years_from_units()")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER lease_years_on_leases_{event}")
        op.execute("DROP TRIGGER lease_years_on_units_update")


def upgrade() -> None:
    op.create_table(
        "lease_years",
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("leased_area_days", sa.Numeric(), server_default="0", nullable=False),
        sa.Column("rent", sa.Numeric(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_lease_years_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("park_id", "year", name=op.f("pk_lease_years")),
    )
    with op.batch_alter_table("lease_years", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lease_years_park_id"), ["park_id"], unique=False)
    create_triggers(op.get_bind().dialect.name)


def downgrade() -> None:
    drop_triggers(op.get_bind().dialect.name)
    with op.batch_alter_table("lease_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lease_years_park_id"))
    op.drop_table("lease_years")
