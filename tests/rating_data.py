"""Ratings for tests: the 2017 drafts of every park, a rating driven to publication through the API, and
small files of every kind the evidence upload accepts or refuses."""

import io
import zipfile
from typing import Any

import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.ratings.models import Rating
from incubator.ratings.services import RatingRounds
from tests.conftest import World, bearer


async def make_draft(db: AsyncSession, world: World) -> Rating:
    """Park A's draft of 2017 (every park gets one)."""
    rounds = RatingRounds(db)
    await rounds.compute_drafts_across_parks(await rounds.open_round(2017))
    await db.commit()
    return await db.scalar(sa.select(Rating).where(Rating.park_id == world.park_a.id))


def rating_url(world: World, rating_id: Any, action: str = "") -> str:
    return f"/api/parks/{world.park_a.id}/ratings/{rating_id}{action}"


async def publish_with_adjustment(client: AsyncTestClient[Litestar], db: AsyncSession, world: World) -> dict[str, Any]:
    """Park A's 2017 rating, submitted, adjusted by the bureau (active incubatees 1 → 50) and published."""
    rating = await make_draft(db, world)
    park, bureau = await bearer(db, world, "operator_a"), await bearer(db, world, "bureau")
    step = await client.post(rating_url(world, rating.id, "/submit"), json={"version": 1}, headers=park)
    step = await client.post(
        rating_url(world, rating.id, "/review"), json={"version": step.json()["version"]}, headers=bureau
    )
    step = await client.post(
        rating_url(world, rating.id, "/adjustments"),
        json={
            "version": step.json()["version"],
            "metric": "active_incubatees",
            "value": "50",
            "reason": "按佐证材料更正",
        },
        headers=bureau,
    )
    for action in ("/approve", "/publish"):
        step = await client.post(
            rating_url(world, rating.id, action), json={"version": step.json()["version"]}, headers=bureau
        )
        assert step.status_code == 201, step.text
    published = (await client.get(rating_url(world, rating.id), headers=bureau)).json()
    assert (published["status"], len(published["adjustments"])) == ("published", 1)
    return published


def office_file(kind: str, *, declared: bool = True) -> bytes:
    """A minimal Office Open XML package (``docx`` or ``xlsx``); without ``[Content_Types].xml`` unless declared."""
    part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if declared:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
