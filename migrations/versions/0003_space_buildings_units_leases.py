"""space: buildings, units, leases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:47:39.038277
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "buildings",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_buildings_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_buildings")),
        sa.UniqueConstraint("park_id", "name", name="uq_buildings_park_name"),
    )
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_buildings_park_id"), ["park_id"], unique=False)

    op.create_table(
        "units",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("building_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "office",
                "workstation",
                "workshop",
                "warehouse",
                "land_plot",
                "common_area",
                name="unit_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("area_m2", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("monthly_rent", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("free_or_common", sa.Boolean(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id", "building_id"], ["buildings.park_id", "buildings.id"], name="fk_units_building"
        ),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f("fk_units_park_id_parks"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_units")),
        sa.UniqueConstraint("park_id", "code", name="uq_units_park_code"),
    )
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_units_building_id"), ["building_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_units_park_id"), ["park_id"], unique=False)

    op.create_table(
        "leases",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("unit_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incubatee_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("monthly_rent", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("rent_free_until", sa.Date(), nullable=True),
        sa.Column("deposit", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_leases_dates_in_order")),
        sa.ForeignKeyConstraint(
            ["park_id", "incubatee_id"], ["incubatees.park_id", "incubatees.id"], name="fk_leases_incubatee"
        ),
        sa.ForeignKeyConstraint(["park_id", "unit_id"], ["units.park_id", "units.id"], name="fk_leases_unit"),
        sa.ForeignKeyConstraint(["park_id"], ["parks.id"], name=op.f("fk_leases_park_id_parks"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_leases")),
    )
    with op.batch_alter_table("leases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leases_incubatee_id"), ["incubatee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_leases_park_id"), ["park_id"], unique=False)
        batch_op.create_index("ix_leases_park_unit_dates", ["park_id", "unit_id", "starts_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_leases_unit_id"), ["unit_id"], unique=False)

    _no_overlapping_leases()


def downgrade() -> None:
    _drop_overlap_guards()
    with op.batch_alter_table("leases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leases_unit_id"))
        batch_op.drop_index("ix_leases_park_unit_dates")
        batch_op.drop_index(batch_op.f("ix_leases_park_id"))
        batch_op.drop_index(batch_op.f("ix_leases_incubatee_id"))

    op.drop_table("leases")
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_park_id"))
        batch_op.drop_index(batch_op.f("ix_units_building_id"))

    op.drop_table("units")
    with op.batch_alter_table("buildings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buildings_park_id"))

    op.drop_table("buildings")


def _no_overlapping_leases() -> None:
    """No two leases of a unit may overlap, even when two requests write at the same moment."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE leases ADD CONSTRAINT leases_no_overlap EXCLUDE USING gist "
            "(park_id WITH =, unit_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&)"
        )
        return
    # SQLite writes one transaction at a time, so a trigger sees every committed lease.
    for event in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER leases_no_overlap_{event.lower()} BEFORE {event} ON leases "
            "WHEN EXISTS (SELECT 1 FROM leases AS other WHERE other.park_id = NEW.park_id "
            "AND other.unit_id = NEW.unit_id AND other.id != NEW.id "
            "AND other.starts_on <= NEW.ends_on AND NEW.starts_on <= other.ends_on) "
            "BEGIN SELECT RAISE(ABORT, 'leases_no_overlap'); END"
        )


def _drop_overlap_guards() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE leases DROP CONSTRAINT leases_no_overlap")
        return
    op.execute("DROP TRIGGER leases_no_overlap_insert")
    op.execute("DROP TRIGGER leases_no_overlap_update")
