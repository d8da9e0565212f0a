"""Star certificates: a random code per published rating with stars, and the public check of a code.

Kept apart from the report services so that the rating review can issue a certificate when it publishes
(this module reads only models)."""

import datetime
import secrets
from uuid import UUID

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.clock import today
from incubator.db.tenancy import ALL_PARKS
from incubator.errors import Conflict, NotFound
from incubator.i18n import _
from incubator.parks.models import Park
from incubator.ratings.models import Rating, RatingRound, RatingStatus
from incubator.reports.models import Certificate, CertificateStatus

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""Digits and capitals without 0/O, 1/I/L: read aloud or typed from paper without a doubt."""
CODE_LENGTH = 16
"""31¹⁶ ≈ 2⁷⁹ codes: not to be guessed."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def grouped(code: str) -> str:
    """As printed: ``ABCD-EFGH-JKMN-PQRS``."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalised(code: str) -> str:
    """A code as typed: any case, with or without the dashes and spaces of the printed form."""
    return code.upper().replace("-", "").replace(" ", "")


def check_certifiable(rating: Rating) -> None:
    if rating.status != RatingStatus.PUBLISHED or rating.stars < 1:
        raise Conflict(_("Only a published rating with at least one star has a certificate."), field="status")


async def certificate_of(session: AsyncSession, rating: Rating) -> Certificate:
    """The rating's certificate, issued now if it has none yet (ratings published before certificates
    existed get theirs on first use)."""
    check_certifiable(rating)
    found = await session.scalar(
        sa.select(Certificate).where(Certificate.park_id == rating.park_id, Certificate.rating_id == rating.id)
    )
    if found is None:
        found = Certificate(park_id=rating.park_id, rating_id=rating.id, code=new_code(), issued_on=today())
        session.add(found)
        await session.flush()
    return found


class Verification(msgspec.Struct, frozen=True):
    """What the public page shows of a certificate, and nothing more."""

    park: str
    stars: int
    period: str
    status: CertificateStatus


async def verify_across_parks(session: AsyncSession, code: str) -> Verification:
    """The certificate of a code, with whether it still holds; any park's (the public check crosses parks)."""
    row = (
        await session.execute(
            sa.select(Park.id, Park.name, Rating.stars, Rating.status, RatingRound.label, RatingRound.ends_on)
            .select_from(Certificate)
            .join(Rating, sa.and_(Rating.park_id == Certificate.park_id, Rating.id == Certificate.rating_id))
            .join(RatingRound, RatingRound.id == Rating.round_id)
            .join(Park, Park.id == Certificate.park_id)
            .where(Certificate.code == normalised(code)[:CODE_LENGTH])
            .execution_options(**ALL_PARKS)
        )
    ).first()
    if row is None:
        raise NotFound(_("No certificate has this code."), field="code")
    park_id, park, stars, status, period, ends_on = row
    if await _revoked_after(session, park_id, ends_on):
        standing = CertificateStatus.REVOKED
    elif status == RatingStatus.SUPERSEDED:
        standing = CertificateStatus.SUPERSEDED
    else:
        standing = CertificateStatus.VALID
    return Verification(park, stars, period, standing)


async def _revoked_after(session: AsyncSession, park_id: UUID, ends_on: datetime.date) -> bool:
    revoking = await session.scalar(
        sa.select(Rating.id)
        .join(RatingRound, RatingRound.id == Rating.round_id)
        .where(
            Rating.park_id == park_id,
            Rating.status == RatingStatus.PUBLISHED,
            Rating.exit_decision == "revoke",
            RatingRound.ends_on > ends_on,
        )
        .limit(1)
        .execution_options(**ALL_PARKS)
    )
    return revoking is not None
