"""yearly figures per firm (its reports, mentor sessions and service deliveries), kept by triggers for the rating

Each insert, update or delete of a periodic report, a mentor session or a service delivery recomputes the figures of the firms and
years it touched from those tables: on PostgreSQL once per statement (a bulk COPY included) from its
transition tables, on SQLite once per row. The existing rows are rolled up the same way.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-26 05:38:27.945745
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


YEAR = {
    "postgresql": "CAST(EXTRACT(YEAR FROM {}) AS INTEGER)",
    "sqlite": "CAST(strftime('%Y', {}) AS INTEGER)",
}
YEAR_START = {"postgresql": "make_date({}, 1, 1)", "sqlite": "printf('%04d-01-01', {})"}
SOURCES = {
    "periodic_reports": (
        "period_start",
        {
            "revenue": "coalesce(sum(s.revenue), 0)",
            "revenue_before": (
                "(SELECT coalesce(sum(j.revenue), 0) FROM periodic_reports AS j WHERE j.park_id = k.park_id"
                " AND j.incubatee_id = k.incubatee_id AND {j_in_year_before})"
            ),
            "funded_reports": "count(CASE WHEN s.funding_raised > 0 THEN 1 END)",
            "loan_reports": "count(CASE WHEN s.loan_amount > 0 THEN 1 END)",
            "reports_on_time": "count(CASE WHEN s.submitted_on <= s.due_on AND s.complete THEN 1 END)",
            "jobs": (
                "(SELECT j.employees FROM periodic_reports AS j WHERE j.park_id = k.park_id"
                " AND j.incubatee_id = k.incubatee_id AND {j_in_year} AND j.employees IS NOT NULL"
                " ORDER BY j.period_start DESC LIMIT 1)"
            ),
        },
    ),
    "mentor_sessions": ("held_on", {"sessions": "count(CASE WHEN s.status = 'confirmed' THEN 1 END)"}),
    "service_deliveries": (
        "delivered_on",
        {
            "tech_services": (
                "count(CASE WHEN s.category IN ('tech_testing', 'tech_design', 'tech_ip', 'tech_transfer') THEN 1 END)"
            ),
            "fees": "coalesce(sum(s.fee), 0)",
            "rated_services": "count(s.satisfaction)",
            "satisfied_services": "count(CASE WHEN s.satisfaction >= 4 THEN 1 END)",
            "policy_services": (
                "count(CASE WHEN s.category IN ('finance_guaranteed_loan', 'finance_subsidy') THEN 1 END)"
            ),
        },
    ),
}
"""Per source table: its day column, and each figure as an aggregate of the firm-year's rows ``s``."""
YEARS_TOUCHED = {"periodic_reports": (0, 1)}
"""A report's year, and for reports the next year too: its revenue is that year's revenue the year before."""


def in_year(dialect: str, day: str, year: str) -> str:
    """``day`` (a column) falls in ``year`` (an expression): a range, so that the firm's rows come by their
    index, whatever the planner knows of the table (nothing yet, in the middle of a bulk load)."""
    start = YEAR_START[dialect]
    return f"{day} >= {start.format(year)} AND {day} < {start.format(f'{year} + 1')}"


def refresh(dialect: str, table: str, keys: str) -> str:
    """Recompute, from ``table``, the figures of the firm-years ``keys`` selects (park_id, incubatee_id, year),
    for firms that still exist (a firm's deletion cascades to its rows and its figures)."""
    day, figures = SOURCES[table]
    expressions = [
        sql.format(
            j_in_year=in_year(dialect, "j.period_start", "k.year"),
            j_in_year_before=in_year(dialect, "j.period_start", "k.year - 1"),
        )
        for sql in figures.values()
    ]
    return (
        f"INSERT INTO firm_years (park_id, incubatee_id, year, {', '.join(figures)}) "
        f"SELECT k.park_id, k.incubatee_id, k.year, {', '.join(expressions)} "
        f"FROM ({keys}) AS k "
        "JOIN incubatees AS i ON i.park_id = k.park_id AND i.id = k.incubatee_id "
        f"LEFT JOIN {table} AS s ON s.park_id = k.park_id AND s.incubatee_id = k.incubatee_id "
        f"AND {in_year(dialect, 's.' + day, 'k.year')} "
        "WHERE true GROUP BY k.park_id, k.incubatee_id, k.year "
        "ON CONFLICT (park_id, incubatee_id, year) DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name in figures)
    )


def keys_of(dialect: str, table: str, *sources: str) -> str:
    """The firm-years the rows of ``sources`` touch: tables (PostgreSQL's transition tables, or ``table``
    itself), or SQLite's row in a trigger (``NEW``, ``OLD``)."""
    selects = []
    for source in sources:
        row, rows = (f"{source}.", "") if source in ("NEW", "OLD") else ("", f" FROM {source}")
        year = YEAR[dialect].format(row + SOURCES[table][0])
        selects += [
            f"SELECT DISTINCT {row}park_id AS park_id, {row}incubatee_id AS incubatee_id, {year} + {ahead} AS year"
            + rows
            for ahead in YEARS_TOUCHED.get(table, (0,))
        ]
    return " UNION ".join(selects)


POSTGRESQL_SOURCES = {"INSERT": ("new_rows",), "UPDATE": ("new_rows", "old_rows"), "DELETE": ("old_rows",)}
"""The transition tables each event's trigger sees."""
LOCK_CLASS = 22
"""The first key of this migration's advisory locks; the second is the firm's bucket (``LOCK_BUCKETS``)."""
LOCK_BUCKETS = 256
"""Firms share this many locks, so that a bulk write (the demo city's COPY: 48,000 firms) takes a few hundred
locks at most: PostgreSQL's lock table holds some thousands in all."""


def one_writer_per_firm(keys: str) -> str:
    """On PostgreSQL, wait for any other transaction writing rows of the same firms to end: the recount that
    follows then reads its rows (each statement of a function sees the commits made before it starts), where
    it would otherwise miss them and overwrite that transaction's figures. SQLite has one writer at a time."""
    bucket = f"hashtext(incubatee_id::text) & {LOCK_BUCKETS - 1}"
    return (
        f"PERFORM pg_advisory_xact_lock({LOCK_CLASS}, b.bucket) "
        f"FROM (SELECT DISTINCT {bucket} AS bucket FROM ({keys}) AS k ORDER BY bucket) AS b"
    )


def create_triggers(dialect: str) -> None:
    for table in SOURCES:
        if dialect == "postgresql":
            branches = {op_: keys_of(dialect, table, *sources) for op_, sources in POSTGRESQL_SOURCES.items()}
            op.execute(
                f"CREATE FUNCTION firm_years_from_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + " ELS".join(
                    f"IF TG_OP = '{op_}' THEN {one_writer_per_firm(keys)}; {refresh(dialect, table, keys)};"
                    for op_, keys in branches.items()
                )
                + " END IF; RETURN NULL; END $$"
            )
            for event, transition in (
                ("INSERT", "NEW TABLE AS new_rows"),
                ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                ("DELETE", "OLD TABLE AS old_rows"),
            ):
                op.execute(
                    f"CREATE TRIGGER firm_years_on_{event.lower()} AFTER {event} ON {table} "
                    f"REFERENCING {transition} FOR EACH STATEMENT EXECUTE FUNCTION firm_years_from_{table}()"
                )
        else:
            for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("NEW", "OLD")), ("DELETE", ("OLD",))):
                op.execute(
                    f"CREATE TRIGGER firm_years_on_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN {refresh(dialect, table, keys_of(dialect, table, *rows))}; END"
                )
        op.execute(refresh(dialect, table, keys_of(dialect, table, table)))


def drop_triggers(dialect: str) -> None:
    for table in SOURCES:
        if dialect == "postgresql":
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER firm_years_on_{event} ON {table}")
            op.execute(f"DROP FUNCTION firm_years_from_{table}()")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER firm_years_on_{table}_{event}")


def upgrade() -> None:
    op.create_table(
        "firm_years",
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revenue", sa.Numeric(precision=16, scale=2), server_default="0", nullable=False),
        sa.Column("revenue_before", sa.Numeric(precision=16, scale=2), server_default="0", nullable=False),
        sa.Column("funded_reports", sa.Integer(), server_default="0", nullable=False),
        sa.Column("loan_reports", sa.Integer(), server_default="0", nullable=False),
        sa.Column("reports_on_time", sa.Integer(), server_default="0", nullable=False),
        sa.Column("jobs", sa.Integer(), nullable=True),
        sa.Column("sessions", sa.Integer(), server_default="0", nullable=False),
        sa.Column("tech_services", sa.Integer(), server_default="0", nullable=False),
        sa.Column("fees", sa.Numeric(precision=16, scale=2), server_default="0", nullable=False),
        sa.Column("rated_services", sa.Integer(), server_default="0", nullable=False),
        sa.Column("satisfied_services", sa.Integer(), server_default="0", nullable=False),
        sa.Column("policy_services", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"],
            ["incubatees.park_id", "incubatees.id"],
            name="fk_firm_years_incubatee",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_firm_years_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("park_id", "incubatee_id", "year", name=op.f("pk_firm_years")),
    )
    with op.batch_alter_table("firm_years", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_years_park_id"), ["park_id"], unique=False)
    # a firm's rows of a year by their index, for the triggers' recounts
    with op.batch_alter_table("mentor_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mentor_sessions_incubatee_id"))
        batch_op.create_index("ix_mentor_sessions_incubatee_held", ["incubatee_id", "held_on"], unique=False)
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_deliveries_incubatee_id"))
        batch_op.create_index("ix_service_deliveries_incubatee_day", ["incubatee_id", "delivered_on"], unique=False)
    create_triggers(op.get_bind().dialect.name)


def downgrade() -> None:
    drop_triggers(op.get_bind().dialect.name)
    with op.batch_alter_table("service_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_service_deliveries_incubatee_day")
        batch_op.create_index(batch_op.f("ix_service_deliveries_incubatee_id"), ["incubatee_id"], unique=False)
    with op.batch_alter_table("mentor_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_mentor_sessions_incubatee_held")
        batch_op.create_index(batch_op.f("ix_mentor_sessions_incubatee_id"), ["incubatee_id"], unique=False)
    with op.batch_alter_table("firm_years", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_years_park_id"))

    op.drop_table("firm_years")
