"""Factories for support services: catalog entries, requests and deliveries, written straight to the database."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from incubator.incubatees.models import Incubatee
from incubator.support.models import (
    RequestedBy,
    RequestStatus,
    ServiceCategory,
    ServiceDelivery,
    ServiceRequest,
    SupportService,
)


async def make_service(
    db: AsyncSession,
    park_id: Any,
    name: str | None = None,
    category: ServiceCategory = ServiceCategory.TECH_IP,
    **values: Any,
) -> SupportService:
    entry = SupportService(
        park_id=park_id, name=name or f"服务{uuid.uuid4().hex[:6]}", category=category, **{"is_active": True, **values}
    )
    db.add(entry)
    await db.commit()
    return entry


async def make_request(
    db: AsyncSession,
    incubatee: Incubatee,
    service: SupportService,
    status: RequestStatus = RequestStatus.OPEN,
    **values: Any,
) -> ServiceRequest:
    request = ServiceRequest(
        park_id=incubatee.park_id,
        incubatee_id=incubatee.id,
        service_id=service.id,
        need=values.pop("need", "商标注册申请"),
        requested_on=values.pop("requested_on", datetime.date(2017, 3, 1)),
        requested_by=values.pop("requested_by", RequestedBy.FOUNDER),
        status=status,
        decline_reason=values.pop("decline_reason", "暂无此服务" if status == RequestStatus.DECLINED else ""),
        **values,
    )
    db.add(request)
    await db.commit()
    return request


async def make_delivery(
    db: AsyncSession, incubatee: Incubatee, service: SupportService, **values: Any
) -> ServiceDelivery:
    delivery = ServiceDelivery(
        park_id=incubatee.park_id,
        incubatee_id=incubatee.id,
        service_id=service.id,
        category=service.category,
        delivered_on=values.pop("delivered_on", datetime.date(2017, 3, 10)),
        hours=values.pop("hours", Decimal(2)),
        **values,
    )
    db.add(delivery)
    await db.commit()
    return delivery
