import datetime
from typing import Annotated, Literal

import msgspec
from litestar.datastructures import UploadFile
from msgspec import Meta

from incubator.schemas import Input

MAX_BYTES = 256 * 1024
RubricVersion = Annotated[
    str,
    Meta(
        pattern=r"^[a-z0-9][a-z0-9.-]{0,49}$",
        description="Lower-case letters, digits, dots and dashes, as the `version` inside the file",
        examples=["puyang-2018"],
    ),
]


class RubricUpload(Input):
    """A new rubric: its version and the TOML file (UTF-8, at most 256 KB) that declares the same version."""

    version: RubricVersion
    file: UploadFile


class RubricSummary(msgspec.Struct):
    version: str
    title_zh: str
    title_en: str
    effective_from: datetime.date
    source: Literal["packaged", "uploaded"]
    active: bool
    rounds: list[str]
    """The rating periods opened under this version."""
    sha256: str | None = None
    uploaded_at: datetime.datetime | None = None
