"""The city's targets ("个十百千" and the yearly figures), set by the bureau per year, for the whole city or a
district."""

import enum
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from incubator.db.base import UUIDv7AuditBase, enum_column
from incubator.i18n import N_, register_labels


class TargetKey(enum.StrEnum):
    NATIONAL_PARKS = "national_parks"
    PROVINCIAL_OR_MUNICIPAL_PARKS = "provincial_or_municipal_parks"
    DEMONSTRATION_POINTS = "demonstration_points"
    INCUBATED_FIRMS = "incubated_firms"
    PEOPLE_TRAINED = "people_trained"
    GUARANTEED_LOANS_YUAN = "guaranteed_loans_yuan"


COUNTED = frozenset(TargetKey) - {TargetKey.GUARANTEED_LOANS_YUAN}
"""Targets that count parks, firms or people: whole numbers."""

DEFAULT_TARGETS: dict[TargetKey, Decimal] = {
    TargetKey.NATIONAL_PARKS: Decimal(1),
    TargetKey.PROVINCIAL_OR_MUNICIPAL_PARKS: Decimal(13),
    TargetKey.DEMONSTRATION_POINTS: Decimal(100),
    TargetKey.INCUBATED_FIRMS: Decimal(1000),
    TargetKey.PEOPLE_TRAINED: Decimal(10_000),
    TargetKey.GUARANTEED_LOANS_YUAN: Decimal(800_000_000),
}
"""The whole city's target of a year when the bureau has set none (the 2017 policy's numbers)."""


class CityTarget(UUIDv7AuditBase):
    """One target of a year, for the whole city (``district`` NULL) or one district (as parks spell it)."""

    __tablename__ = "city_targets"
    __table_args__ = (
        sa.UniqueConstraint("year", "district", "key", name="uq_city_targets_year_district_key"),
        # NULLs are distinct in a unique constraint, on both databases: the whole city's row needs its own index.
        sa.Index(
            "uq_city_targets_city_year_key",
            "year",
            "key",
            unique=True,
            sqlite_where=sa.text("district IS NULL"),
            postgresql_where=sa.text("district IS NULL"),
        ),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    year: Mapped[int]
    district: Mapped[str | None] = mapped_column(sa.String(50))
    key: Mapped[TargetKey] = enum_column(TargetKey, "city_target_key")
    value: Mapped[Decimal] = mapped_column(sa.Numeric(16, 2))


register_labels(
    {
        TargetKey.NATIONAL_PARKS: N_("National-level parks"),
        TargetKey.PROVINCIAL_OR_MUNICIPAL_PARKS: N_("Provincial or municipal parks"),
        TargetKey.DEMONSTRATION_POINTS: N_("Demonstration points for returning migrant workers"),
        TargetKey.INCUBATED_FIRMS: N_("Firms in incubation"),
        TargetKey.PEOPLE_TRAINED: N_("People trained"),
        TargetKey.GUARANTEED_LOANS_YUAN: N_("Guaranteed start-up loans (yuan)"),
        ("entity", "city_targets"): N_("City target"),
    }
)
