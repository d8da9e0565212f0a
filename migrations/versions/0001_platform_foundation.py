"""platform foundation: parks, accounts, logins, audit trail

Revision ID: 0001
Revises:
Create Date: 2026-11-25 18:50:07.158271
"""

import sqlalchemy as sa
import advanced_alchemy.types
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "parks",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("park", "demonstration_point", name="park_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum(
                "national",
                "provincial",
                "municipal",
                "county",
                name="park_level",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("district", sa.String(length=50), nullable=False),
        sa.Column("township", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("incubation_area_m2", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("operating_organisation", sa.String(length=200), nullable=False),
        sa.Column("recognised_on", sa.Date(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parks")),
        sa.UniqueConstraint("code", name=op.f("uq_parks_code")),
        sa.UniqueConstraint("name", name=op.f("uq_parks_name")),
    )
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parks_district"), ["district"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column(
            "city_role",
            sa.Enum("admin", "bureau", "mentor", name="city_role", native_enum=False, create_constraint=True),
            nullable=True,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("occurred_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("actor_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("actor_email", sa.String(length=254), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column(
            "changes", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_entries_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_audit_entries_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_entity_type"), ["entity_type"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index("ix_audit_entries_park_occurred", ["park_id", "occurred_at"], unique=False)

    op.create_table(
        "auth_tokens",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("api", "session", name="token_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("revoked_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_auth_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_tokens_token_hash")),
    )
    with op.batch_alter_table("auth_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auth_tokens_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auth_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "memberships",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("park_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("user_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column(
            "role",
            sa.Enum("operator", "founder", name="park_role", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["park_id"], ["parks.id"], name=op.f("fk_memberships_park_id_parks"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_memberships_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", "park_id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("park_id", "user_id", "role", name="uq_memberships_park_user_role"),
    )
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_memberships_park_id"), ["park_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_memberships_user_id"), ["user_id"], unique=False)

    _make_audit_trail_append_only()


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_memberships_user_id"))
        batch_op.drop_index(batch_op.f("ix_memberships_park_id"))

    op.drop_table("memberships")
    with op.batch_alter_table("auth_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_tokens_user_id"))
        batch_op.drop_index(batch_op.f("ix_auth_tokens_expires_at"))

    op.drop_table("auth_tokens")
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_park_occurred")
        batch_op.drop_index(batch_op.f("ix_audit_entries_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_entity_type"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor_id"))

    op.drop_table("audit_entries")
    op.drop_table("users")
    with op.batch_alter_table("parks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parks_district"))

    op.drop_table("parks")


def _make_audit_trail_append_only() -> None:
    """The database itself refuses to change or delete an audit entry."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
            "FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_entries_no_{event.lower()} BEFORE {event} ON audit_entries "
                "BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_entries_append_only ON audit_entries")
        op.execute("DROP FUNCTION audit_entries_append_only()")
    else:
        op.execute("DROP TRIGGER audit_entries_no_update")
        op.execute("DROP TRIGGER audit_entries_no_delete")
