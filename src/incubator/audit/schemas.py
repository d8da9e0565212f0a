import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from msgspec import Meta


class AuditRead(msgspec.Struct):
    id: UUID
    occurred_at: datetime.datetime
    actor_id: UUID | None
    actor_email: str
    park_id: UUID | None
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any]


class AuditFilter(msgspec.Struct):
    actor: Annotated[str, Meta(max_length=254)] = ""
    entity_type: Annotated[str, Meta(max_length=60)] = ""
    entity_id: Annotated[str, Meta(max_length=64)] = ""
    action: Annotated[str, Meta(max_length=40)] = ""
    since: datetime.date | None = None
    until: datetime.date | None = None
