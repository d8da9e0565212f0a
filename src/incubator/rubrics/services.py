"""The rubrics a rating may be scored with: the packaged files and the bureau's uploads, and the active one.

``rubric(session, version)`` is the one way a rating finds its rubric, whichever kind it is; a rating keeps
the version it was scored with, so an uploaded rubric is never changed once stored.
"""

import hashlib
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy.ext.asyncio import AsyncSession

from incubator.errors import Conflict, InvalidInput, NotFound
from incubator.i18n import _
from incubator.ratings.models import RatingRound
from incubator.ratings.rubric import (
    DEFAULT_VERSION,
    Rubric,
    RubricError,
    load_rubric,
    packaged_rubric,
    packaged_source,
    packaged_versions,
)
from incubator.rubrics.models import RubricActivation, UploadedRubric
from incubator.rubrics.schemas import MAX_BYTES, RubricSummary, RubricUpload

_PARSED: dict[str, Rubric] = {}
"""Uploaded rubrics parsed, by the sha256 of their text: a stored upload never changes, and there are few."""


async def rubric(session: AsyncSession, version: str) -> Rubric:
    """The rubric of ``version``, packaged or uploaded."""
    if version in packaged_versions():
        return packaged_rubric(version)
    sha256 = await session.scalar(sa.select(UploadedRubric.sha256).where(UploadedRubric.version == version))
    if sha256 is None:
        raise NotFound(_("No such rubric version."), field="version")
    return await _parsed(session, version, sha256)


async def _parsed(session: AsyncSession, version: str, sha256: str) -> Rubric:
    if sha256 not in _PARSED:
        source = await session.scalar(sa.select(UploadedRubric.source).where(UploadedRubric.version == version))
        _PARSED[sha256] = load_rubric(source or "")
    return _PARSED[sha256]


async def active_version(session: AsyncSession) -> str:
    """The version new rating periods open under: the latest activation, or the default."""
    latest = await session.scalar(
        sa.select(RubricActivation.version)
        .order_by(RubricActivation.created_at.desc(), RubricActivation.id.desc())
        .limit(1)
    )
    return latest or DEFAULT_VERSION


class RubricLibrary(SQLAlchemyAsyncRepositoryService[UploadedRubric]):
    """The bureau's rubrics: packaged and uploaded, listed, uploaded (validated) and activated. City-wide."""

    class Repo(SQLAlchemyAsyncRepository[UploadedRubric]):
        model_type = UploadedRubric

    repository_type = Repo

    async def get_rubric(self, version: str) -> Rubric:
        return await rubric(self.repository.session, version)

    async def summaries(self) -> list[RubricSummary]:
        """Every rubric, the packaged first, with the rating periods opened under each."""
        session = self.repository.session
        active = await active_version(session)
        rounds: dict[str, list[str]] = {}
        for version, label in await session.execute(
            sa.select(RatingRound.rubric_version, RatingRound.label).order_by(RatingRound.starts_on)
        ):
            rounds.setdefault(version, []).append(label)

        def summary(parsed: Rubric, uploaded: Any = None) -> RubricSummary:
            return RubricSummary(
                version=parsed.version,
                title_zh=parsed.title_zh,
                title_en=parsed.title_en,
                effective_from=parsed.effective_from,
                source="uploaded" if uploaded else "packaged",
                active=parsed.version == active,
                rounds=rounds.get(parsed.version, []),
                sha256=uploaded.sha256 if uploaded else None,
                uploaded_at=uploaded.created_at if uploaded else None,
            )

        uploads = await session.execute(
            sa.select(UploadedRubric.version, UploadedRubric.sha256, UploadedRubric.created_at).order_by(
                UploadedRubric.created_at
            )
        )
        return [
            *(summary(packaged_rubric(version)) for version in packaged_versions()),
            *[summary(await _parsed(session, row.version, row.sha256), row) for row in uploads],
        ]

    async def summary(self, version: str) -> RubricSummary:
        found = next((s for s in await self.summaries() if s.version == version), None)
        if found is None:
            raise NotFound(_("No such rubric version."), field="version")
        return found

    async def source(self, version: str) -> str:
        """The TOML text of a rubric, as packaged or uploaded."""
        if version in packaged_versions():
            return packaged_source(version)
        source = await self.repository.session.scalar(
            sa.select(UploadedRubric.source).where(UploadedRubric.version == version)
        )
        if source is None:
            raise NotFound(_("No such rubric version."), field="version")
        return source

    async def upload(self, data: RubricUpload, *, user_id: UUID | None) -> UploadedRubric:
        """Store a new rubric after validating the whole file; a bad one is refused naming the bad key."""
        if data.version in packaged_versions():
            raise Conflict(_("A packaged rubric has this version: choose another."), field="version")
        if await self.exists(version=data.version):
            raise Conflict(_("A rubric with this version is already uploaded."), field="version")
        content = await data.file.read(MAX_BYTES + 1)
        if not content:
            raise InvalidInput(_("Choose a rubric file (TOML) to upload."), field="file")
        if len(content) > MAX_BYTES:
            raise InvalidInput(_("The file is larger than %(kb)s KB.", kb=MAX_BYTES // 1024), field="file")
        try:
            text = content.decode("utf-8-sig")  # a byte-order mark, as some editors write, is no error
        except UnicodeDecodeError as error:
            raise InvalidInput(
                _("The file is not UTF-8 text: save it as UTF-8 and upload it again."), field="file"
            ) from error
        try:
            parsed = load_rubric(text)
        except RubricError as error:
            raise InvalidInput(
                _("The rubric is not valid: %(problem)s", problem=error.message),
                field=error.path.removeprefix("$.") if error.path != "$" else "file",
            ) from error
        if parsed.version != data.version:
            raise InvalidInput(
                _("The file declares version %(found)s, not %(version)s.", found=parsed.version, version=data.version),
                field="version",
            )
        sha256 = hashlib.sha256(text.encode()).hexdigest()
        stored = await self.create(
            UploadedRubric(version=data.version, source=text, sha256=sha256, uploaded_by=user_id)
        )
        _PARSED[sha256] = parsed
        return stored

    async def activate(self, version: str, *, user_id: UUID | None) -> RubricActivation:
        """Make ``version`` the one new rating periods open under; periods already open keep theirs."""
        session = self.repository.session
        await rubric(session, version)
        activation = RubricActivation(version=version, activated_by=user_id)
        session.add(activation)
        await session.flush()
        return activation


__all__ = ("RubricLibrary", "active_version", "rubric")
