"""What a park may attach to its rating as evidence: the limits, and the kind of a file told by its bytes."""

import io
import zipfile
from pathlib import PurePosixPath
from urllib.parse import quote

import filetype

MAX_EVIDENCE_MB = 10
MAX_EVIDENCE_BYTES = MAX_EVIDENCE_MB * 1024 * 1024
"""The largest evidence file."""
MAX_EVIDENCE_FILES = 20
"""Evidence files per rating."""
UPLOAD_BODY_LIMIT = MAX_EVIDENCE_BYTES + 64 * 1024
"""An upload's whole body: the file and the form around it. Anything larger is refused before it is read."""
MAX_NAME_LENGTH = 200

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    DOCX: "Word (docx)",
    XLSX: "Excel (xlsx)",
}
"""The kinds of file accepted, by the MIME type their content shows."""


def sniff(content: bytes) -> str | None:
    """The MIME type of an accepted kind of file, told by its content (never by its name or declared type),
    or None for any other kind."""
    kind = filetype.guess(content)
    mime = kind.mime if kind else None
    if mime in (DOCX, XLSX) and not _is_office_package(content):
        return None
    return mime if mime in ACCEPTED else None


def _is_office_package(content: bytes) -> bool:
    """filetype recognises Office Open XML by a part name near the start of the zip; a real package also
    declares its parts in ``[Content_Types].xml``."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, EOFError):
        return False


def clean_name(name: str) -> str:
    """The file's own name (the client's folders dropped, unprintable characters removed), cut to
    200 characters with its extension kept. Chinese names stay as they are."""
    name = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip()
    if len(name) <= MAX_NAME_LENGTH:
        return name
    suffix = PurePosixPath(name).suffix[:11]
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix


def attachment(name: str) -> str:
    """A Content-Disposition header value that keeps a Chinese name: RFC 6266 with the RFC 5987 ``filename*``,
    after a plain ASCII ``filename`` for old clients."""
    fallback = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
