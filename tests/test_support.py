"""Support services through the API: the catalog, founders' requests, deliveries and their ratings."""

import asyncio
import datetime

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.clock import today
from incubator.incubatees.models import IncubateeStatus
from incubator.support.models import (
    RequestStatus,
    ServiceCategory,
    ServiceDelivery,
    ServiceGroup,
    ServiceRequest,
    SupportService,
    categories_of,
)
from tests.conftest import bearer, make_incubatee, make_user
from tests.support_data import make_delivery, make_request, make_service

TOMORROW = (today() + datetime.timedelta(days=1)).isoformat()


def _api(world, suffix: str, park=None) -> str:
    return f"/api/parks/{(park or world.park_a).id}{suffix}"


def _firm(world, suffix: str = "", incubatee=None) -> str:
    incubatee = incubatee or world.incubatee_a
    return f"/api/parks/{incubatee.park_id}/incubatees/{incubatee.id}{suffix}"


def _fields(response) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


async def _count(db, model) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(model))


def _delivery(world, service, **values):
    return {
        "incubatee_id": str(world.incubatee_a.id),
        "service_id": str(service.id),
        "delivered_on": "2017-03-10",
        "hours": "3.5",
        **values,
    }


async def test_journey_founder_requests_a_trademark_service_and_rates_it_4_of_5(client, db, world):
    operator = await bearer(db, world, "operator_a")
    founder = await bearer(db, world, "founder_a")
    created = await client.post(
        _api(world, "/support-services"),
        json={"name": "商标注册代理", "category": "tech_ip", "provider": "濮阳市知识产权服务中心"},
        headers=operator,
    )
    assert created.status_code == 201, created.text
    assert created.json()["group"] == "technical"
    service_id = created.json()["id"]

    catalog = (await client.get(_api(world, "/support-services?active=true"), headers=founder)).json()
    assert [entry["name"] for entry in catalog["items"]] == ["商标注册代理"]
    asked = await client.post(
        _firm(world, "/service-requests"),
        json={"service_id": service_id, "need": "为“巧手”品牌申请商标注册"},
        headers=founder,
    )
    assert asked.status_code == 201, asked.text
    request = asked.json()
    assert (request["status"], request["requested_by"], request["requested_on"]) == ("open", "founder", str(today()))
    assert (request["service"], request["incubatee"]) == ("商标注册代理", "濮阳巧手编织坊")

    worklist = (await client.get(_api(world, "/service-requests?status=open"), headers=operator)).json()
    assert [r["id"] for r in worklist["items"]] == [request["id"]]
    accepted = await client.post(_api(world, f"/service-requests/{request['id']}/accept"), headers=operator)
    assert accepted.json()["status"] == "accepted"

    delivered = await client.post(
        _api(world, "/service-deliveries"),
        json={
            "incubatee_id": str(world.incubatee_a.id),
            "service_id": service_id,
            "request_id": request["id"],
            "delivered_on": str(today()),
            "hours": "4",
            "outcome": "商标注册申请已受理",
            "fee": "300",
        },
        headers=operator,
    )
    assert delivered.status_code == 201, delivered.text
    delivery = delivered.json()
    assert (delivery["category"], delivery["group"], delivery["provider"]) == (
        "tech_ip",
        "technical",
        "濮阳市知识产权服务中心",  # the catalog's provider when none is given
    )
    mine = (await client.get(_firm(world, "/service-requests"), headers=founder)).json()
    assert (mine["items"][0]["status"], mine["items"][0]["delivery_id"]) == ("delivered", delivery["id"])

    own = (await client.get(_firm(world, "/service-deliveries"), headers=founder)).json()
    assert [d["id"] for d in own["items"]] == [delivery["id"]]
    rated = await client.post(
        _firm(world, f"/service-deliveries/{delivery['id']}/rating"),
        json={"satisfaction": 4, "comment": "办理及时"},
        headers=founder,
    )
    assert rated.status_code == 201, rated.text
    assert (rated.json()["satisfaction"], rated.json()["rating_comment"]) == (4, "办理及时")
    assert rated.json()["rated_at"] is not None
    again = await client.post(
        _firm(world, f"/service-deliveries/{delivery['id']}/rating"), json={"satisfaction": 5}, headers=founder
    )
    assert again.status_code == 409
    assert (await db.scalar(sa.select(ServiceDelivery.satisfaction))) == 4

    audit = (
        await db.execute(
            sa.select(AuditEntry.action, AuditEntry.actor_email, AuditEntry.changes).where(
                AuditEntry.entity_type == "service_deliveries"
            )
        )
    ).all()
    assert [(action, actor) for action, actor, _changes in audit] == [
        ("create", "operator.a@test.cn"),
        ("update", "founder.a@test.cn"),
    ]
    assert audit[1][2]["satisfaction"] == {"before": None, "after": 4}


async def test_staff_request_on_the_founders_behalf(client, db, world):
    service = await make_service(db, world.park_a.id)
    response = await client.post(
        _firm(world, "/service-requests"),
        json={"service_id": str(service.id), "need": "电话咨询专利申请", "requested_on": "2017-05-02"},
        headers=await bearer(db, world, "operator_a"),
    )
    assert response.status_code == 201
    assert (response.json()["requested_by"], response.json()["requested_on"]) == ("operator", "2017-05-02")


async def test_catalog_rules(client, db, world):
    operator = await bearer(db, world, "operator_a")
    url = _api(world, "/support-services")
    first = await client.post(
        url, json={"name": "创业担保贷款", "category": "finance_guaranteed_loan"}, headers=operator
    )
    assert first.status_code == 201
    same_name = await client.post(url, json={"name": "创业担保贷款", "category": "consulting"}, headers=operator)
    assert same_name.status_code == 409
    assert _fields(same_name) == ["name"]
    other_park = await client.post(
        _api(world, "/support-services", world.park_b),
        json={"name": "创业担保贷款", "category": "finance_guaranteed_loan"},
        headers=await bearer(db, world, "operator_b"),
    )
    assert other_park.status_code == 201  # names are unique per park only
    for body, field in [
        ({"name": "x", "category": "astrology"}, "category"),
        ({"name": "x" * 101, "category": "training"}, "name"),
        ({"name": "  ", "category": "training"}, "name"),
        ({"name": "x", "category": "training", "description": "x" * 1001}, "description"),
        ({"name": "x", "category": "training", "provider": "x" * 201}, "provider"),
        ({"name": "x", "category": "training", "price": 5}, "price"),
    ]:
        refused = await client.post(url, json=body, headers=operator)
        assert refused.status_code == 422, body
        assert _fields(refused) == [field]
    second = await client.post(url, json={"name": "创业培训", "category": "training"}, headers=operator)
    clash = await client.patch(f"{url}/{second.json()['id']}", json={"name": "创业担保贷款"}, headers=operator)
    assert clash.status_code == 409
    retired = await client.patch(f"{url}/{second.json()['id']}", json={"is_active": False}, headers=operator)
    assert retired.json()["is_active"] is False
    assert await db.scalar(sa.select(sa.func.count()).select_from(SupportService)) == 3

    listed = (await client.get(url, headers=operator)).json()
    assert [e["name"] for e in listed["items"]] == ["创业培训", "创业担保贷款"]  # in the order of the categories
    assert (await client.get(f"{url}?active=true", headers=operator)).json()["total"] == 1
    financing = (await client.get(f"{url}?group=financing", headers=operator)).json()
    assert [e["name"] for e in financing["items"]] == ["创业担保贷款"]
    foreign = await client.get(f"{url}/{other_park.json()['id']}", headers=operator)
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    ("category", "values", "field"),
    [
        ("tech_ip", {"delivered_on": TOMORROW}, "delivered_on"),
        ("tech_ip", {"delivered_on": "2016-02-28"}, "delivered_on"),  # before the firm was admitted
        ("tech_ip", {"delivered_on": "2017-13-01"}, "delivered_on"),
        ("tech_ip", {"hours": "-1"}, "hours"),
        ("tech_ip", {"hours": "1001"}, "hours"),
        ("tech_ip", {"hours": "1.255"}, "hours"),
        ("tech_ip", {"fee": "-0.01"}, "fee"),
        ("tech_ip", {"amount": "5000"}, "amount"),  # only financing carries an amount
        ("tech_ip", {"lender": "中国农业银行"}, "lender"),
        ("tech_ip", {"outcome": "x" * 1001}, "outcome"),
        ("tech_ip", {"provider": "x" * 201}, "provider"),
        ("tech_ip", {"category": "finance_subsidy"}, "category"),  # the category comes from the catalog
        ("finance_subsidy", {}, "amount"),
        ("finance_subsidy", {"amount": "0"}, "amount"),
        ("finance_subsidy", {"amount": "-100"}, "amount"),
        ("finance_subsidy", {"amount": "5000", "lender": "中国农业银行"}, "lender"),
        ("finance_guaranteed_loan", {"amount": "100000"}, "lender"),
        ("finance_guaranteed_loan", {"amount": "100000", "lender": "x" * 201}, "lender"),
        ("finance_investment", {"amount": "abc"}, "amount"),
    ],
)
async def test_bad_deliveries_are_refused_and_nothing_is_written(client, db, world, category, values, field):
    service = await make_service(db, world.park_a.id, category=ServiceCategory(category))
    response = await client.post(
        _api(world, "/service-deliveries"),
        json=_delivery(world, service, **values),
        headers=await bearer(db, world, "operator_a"),
    )
    assert response.status_code == 422, response.text
    assert _fields(response) == [field]
    assert await _count(db, ServiceDelivery) == 0


async def test_financing_carries_its_amount_and_a_loan_its_bank(client, db, world):
    operator = await bearer(db, world, "operator_a")
    loan = await make_service(db, world.park_a.id, category=ServiceCategory.FINANCE_GUARANTEED_LOAN)
    subsidy = await make_service(db, world.park_a.id, category=ServiceCategory.FINANCE_SUBSIDY)
    url = _api(world, "/service-deliveries")
    granted = await client.post(
        url, json=_delivery(world, loan, amount="100000", lender="濮阳农商银行", hours="0"), headers=operator
    )
    assert granted.status_code == 201, granted.text
    assert (granted.json()["amount"], granted.json()["lender"], granted.json()["group"]) == (
        "100000.00",
        "濮阳农商银行",
        "financing",
    )
    paid = await client.post(url, json=_delivery(world, subsidy, amount="5000.5"), headers=operator)
    assert paid.status_code == 201
    assert (paid.json()["fee"], paid.json()["amount"]) == ("0.00", "5000.50")


async def test_tenancy_of_every_id_in_a_delivery(client, db, world):
    operator = await bearer(db, world, "operator_a")
    mine = await make_service(db, world.park_a.id)
    theirs = await make_service(db, world.park_b.id)
    their_request = await make_request(db, world.incubatee_b, theirs)
    other_firm = await make_incubatee(db, world.park_a, "濮阳第二家企业")
    others_request = await make_request(db, other_firm, mine)
    url = _api(world, "/service-deliveries")
    for values, field in [
        ({"service_id": str(theirs.id)}, "service_id"),
        ({"incubatee_id": str(world.incubatee_b.id)}, "incubatee_id"),
        ({"request_id": str(their_request.id)}, "request_id"),
        ({"request_id": str(others_request.id)}, "request_id"),  # a request of another firm of the park
        ({"service_id": "not-a-uuid"}, "service_id"),
    ]:
        refused = await client.post(url, json=_delivery(world, mine, **values), headers=operator)
        assert refused.status_code == 422, values
        assert _fields(refused) == [field]
    assert await _count(db, ServiceDelivery) == 0
    foreign = await make_delivery(db, world.incubatee_b, theirs)
    assert (await client.get(f"{url}/{foreign.id}", headers=operator)).status_code == 404
    assert (await client.patch(f"{url}/{foreign.id}", json={"hours": "1"}, headers=operator)).status_code == 404
    assert (await client.get(_api(world, "/service-deliveries", world.park_b), headers=operator)).status_code == 404


async def test_who_receives_services(client, db, world):
    operator = await bearer(db, world, "operator_a")
    service = await make_service(db, world.park_a.id)
    applicant = await make_incubatee(db, world.park_a, "申请中企业", status=IncubateeStatus.APPLICANT)
    graduated = await make_incubatee(db, world.park_a, "已毕业企业", status=IncubateeStatus.GRADUATED)
    graduated.left_on = datetime.date(2017, 6, 30)
    await db.commit()
    url = _api(world, "/service-deliveries")

    def body(firm, day):
        return {**_delivery(world, service, delivered_on=day), "incubatee_id": str(firm.id)}

    to_applicant = await client.post(url, json=body(applicant, "2017-03-10"), headers=operator)
    assert (to_applicant.status_code, _fields(to_applicant)) == (422, ["incubatee_id"])
    after_leaving = await client.post(url, json=body(graduated, "2017-07-01"), headers=operator)
    assert (after_leaving.status_code, _fields(after_leaving)) == (422, ["delivered_on"])
    while_incubating = await client.post(url, json=body(graduated, "2017-06-30"), headers=operator)
    assert while_incubating.status_code == 201  # recorded late, delivered while the firm was incubating


async def test_a_delivery_fulfils_one_open_or_accepted_request(client, db, world):
    operator = await bearer(db, world, "operator_a")
    service = await make_service(db, world.park_a.id)
    declined = await make_request(db, world.incubatee_a, service, RequestStatus.DECLINED)
    late = await make_request(db, world.incubatee_a, service, requested_on=datetime.date(2017, 4, 1))
    url = _api(world, "/service-deliveries")
    refused = await client.post(url, json=_delivery(world, service, request_id=str(declined.id)), headers=operator)
    assert (refused.status_code, _fields(refused)) == (409, ["request_id"])
    early = await client.post(url, json=_delivery(world, service, request_id=str(late.id)), headers=operator)
    assert (early.status_code, _fields(early)) == (422, ["delivered_on"])
    assert await db.scalar(sa.select(ServiceRequest.status).where(ServiceRequest.id == late.id)) == RequestStatus.OPEN

    straight = await client.post(
        url, json=_delivery(world, service, request_id=str(late.id), delivered_on="2017-04-02"), headers=operator
    )
    assert straight.status_code == 201  # an open request may be delivered without accepting it first
    twice = await client.post(
        url, json=_delivery(world, service, request_id=str(late.id), delivered_on="2017-04-03"), headers=operator
    )
    assert (twice.status_code, _fields(twice)) == (409, ["request_id"])
    assert await _count(db, ServiceDelivery) == 1
    refreshed = sa.select(ServiceRequest.status).where(ServiceRequest.id == late.id)
    assert await db.scalar(refreshed.execution_options(populate_existing=True)) == RequestStatus.DELIVERED


async def test_correcting_a_delivery_rechecks_the_rules_and_keeps_it_on_refusal(client, db, world):
    operator = await bearer(db, world, "operator_a")
    service = await make_service(db, world.park_a.id)
    subsidy = await make_service(db, world.park_a.id, category=ServiceCategory.FINANCE_SUBSIDY)
    request = await make_request(db, world.incubatee_a, service, RequestStatus.DELIVERED)
    delivery = await make_delivery(db, world.incubatee_a, service, request_id=request.id)
    url = _api(world, f"/service-deliveries/{delivery.id}")
    for body, field in [
        ({"hours": "-2"}, "hours"),
        ({"delivered_on": TOMORROW}, "delivered_on"),
        ({"delivered_on": "2017-02-28"}, "delivered_on"),  # before the request it fulfils
        ({"service_id": str(subsidy.id)}, "amount"),  # financing needs its amount
        ({"amount": "100"}, "amount"),
        ({"incubatee_id": str(world.incubatee_a.id)}, "incubatee_id"),  # the firm is not changed
        ({"satisfaction": 5}, "satisfaction"),  # only the founder rates
    ]:
        refused = await client.patch(url, json=body, headers=operator)
        assert refused.status_code == 422, body
        assert _fields(refused) == [field]
    unchanged = await db.scalar(
        sa.select(ServiceDelivery).where(ServiceDelivery.id == delivery.id).execution_options(populate_existing=True)
    )
    assert (unchanged.hours, unchanged.category, unchanged.amount) == (2, ServiceCategory.TECH_IP, None)
    moved = await client.patch(url, json={"service_id": str(subsidy.id), "amount": "3000"}, headers=operator)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["category"], moved.json()["amount"]) == ("finance_subsidy", "3000.00")


async def test_the_category_is_kept_as_it_was_delivered(client, db, world):
    """The catalog entry may be recategorised later; what was delivered keeps its category for the metrics."""
    operator = await bearer(db, world, "operator_a")
    service = await make_service(db, world.park_a.id, category=ServiceCategory.TECH_DESIGN)
    await make_delivery(db, world.incubatee_a, service)
    changed = await client.patch(
        _api(world, f"/support-services/{service.id}"), json={"category": "consulting"}, headers=operator
    )
    assert changed.json()["group"] == "other"
    assert await db.scalar(sa.select(ServiceDelivery.category)) == ServiceCategory.TECH_DESIGN
    # "technical services per incubatee": one grouped aggregate over the deliveries, no join
    technical = await db.execute(
        sa.select(ServiceDelivery.park_id, sa.func.count())
        .where(ServiceDelivery.category.in_(categories_of(ServiceGroup.TECHNICAL)))
        .group_by(ServiceDelivery.park_id)
    )
    assert technical.all() == [(world.park_a.id, 1)]


async def test_delivery_list_filters_and_pages(client, db, world):
    operator = await bearer(db, world, "operator_a")
    ip = await make_service(db, world.park_a.id, category=ServiceCategory.TECH_IP)
    training = await make_service(db, world.park_a.id, category=ServiceCategory.TRAINING)
    other_firm = await make_incubatee(db, world.park_a, "华龙电商工作室")
    await make_delivery(db, world.incubatee_a, ip, delivered_on=datetime.date(2017, 1, 5))
    await make_delivery(db, world.incubatee_a, training, delivered_on=datetime.date(2017, 2, 5))
    await make_delivery(db, other_firm, training, delivered_on=datetime.date(2017, 3, 5))
    await make_delivery(db, world.incubatee_b, await make_service(db, world.park_b.id))
    url = _api(world, "/service-deliveries")

    async def days(query: str) -> list[str]:
        response = await client.get(f"{url}?{query}", headers=operator)
        assert response.status_code == 200, response.text
        return [d["delivered_on"] for d in response.json()["items"]]

    assert await days("") == ["2017-03-05", "2017-02-05", "2017-01-05"]  # newest first, park A only
    assert await days(f"incubatee_id={world.incubatee_a.id}") == ["2017-02-05", "2017-01-05"]
    assert await days("q=电商") == ["2017-03-05"]
    assert await days("category=training") == ["2017-03-05", "2017-02-05"]
    assert await days("group=technical") == ["2017-01-05"]
    assert await days("from=2017-01-06&to=2017-02-28") == ["2017-02-05"]
    paged = (await client.get(f"{url}?limit=2&offset=2", headers=operator)).json()
    assert (paged["total"], len(paged["items"]), paged["limit"], paged["offset"]) == (3, 1, 2, 2)

    backwards = await client.get(f"{url}?from=2017-03-01&to=2017-01-01", headers=operator)
    assert (backwards.status_code, _fields(backwards)) == (422, ["to"])
    foreign = await client.get(f"{url}?incubatee_id={world.incubatee_b.id}", headers=operator)
    assert (foreign.status_code, _fields(foreign)) == (422, ["incubatee_id"])
    unknown = await client.get(f"{url}?category=astrology", headers=operator)
    assert unknown.status_code in (400, 422)
    assert "category" in unknown.text


async def test_request_rules(client, db, world):
    founder = await bearer(db, world, "founder_a")
    service = await make_service(db, world.park_a.id)
    retired = await make_service(db, world.park_a.id, is_active=False)
    theirs = await make_service(db, world.park_b.id)
    url = _firm(world, "/service-requests")
    for body, field in [
        ({"service_id": str(theirs.id), "need": "商标"}, "service_id"),
        ({"service_id": str(retired.id), "need": "商标"}, "service_id"),
        ({"service_id": str(service.id), "need": " "}, "need"),
        ({"service_id": str(service.id), "need": "x" * 1001}, "need"),
        ({"service_id": str(service.id), "need": "商标", "requested_on": TOMORROW}, "requested_on"),
        ({"service_id": str(service.id), "need": "商标", "requested_on": "2016-01-01"}, "requested_on"),
        ({"service_id": str(service.id), "need": "商标", "status": "delivered"}, "status"),
        ({"need": "商标"}, "service_id"),
    ]:
        refused = await client.post(url, json=body, headers=founder)
        assert refused.status_code == 422, body
        assert _fields(refused) == [field]
    assert await _count(db, ServiceRequest) == 0

    applicant = await make_incubatee(db, world.park_a, "申请中企业", status=IncubateeStatus.APPLICANT)
    staff_for_applicant = await client.post(
        _firm(world, "/service-requests", applicant),
        json={"service_id": str(service.id), "need": "商标"},
        headers=await bearer(db, world, "operator_a"),
    )
    assert (staff_for_applicant.status_code, _fields(staff_for_applicant)) == (422, ["incubatee_id"])
    foreign_firm = await client.post(
        _firm(world, "/service-requests", world.incubatee_b).replace(str(world.park_b.id), str(world.park_a.id)),
        json={"service_id": str(service.id), "need": "商标"},
        headers=await bearer(db, world, "operator_a"),
    )
    assert foreign_firm.status_code == 404


async def test_accepting_and_declining(client, db, world):
    operator = await bearer(db, world, "operator_a")
    service = await make_service(db, world.park_a.id)
    open_request = await make_request(db, world.incubatee_a, service)
    delivered = await make_request(db, world.incubatee_a, service, RequestStatus.DELIVERED)
    base = _api(world, "/service-requests")
    no_reason = await client.post(f"{base}/{open_request.id}/decline", json={"reason": ""}, headers=operator)
    assert (no_reason.status_code, _fields(no_reason)) == (422, ["reason"])
    too_long = await client.post(f"{base}/{open_request.id}/decline", json={"reason": "x" * 501}, headers=operator)
    assert (too_long.status_code, _fields(too_long)) == (422, ["reason"])
    assert (await client.post(f"{base}/{delivered.id}/accept", headers=operator)).status_code == 409
    late = await client.post(f"{base}/{delivered.id}/decline", json={"reason": "重复"}, headers=operator)
    assert late.status_code == 409
    assert (await client.post(f"{base}/{open_request.id}/accept", headers=operator)).json()["status"] == "accepted"
    assert (await client.post(f"{base}/{open_request.id}/accept", headers=operator)).status_code == 409
    declined = await client.post(
        f"{base}/{open_request.id}/decline", json={"reason": "本园区暂无合作代理机构"}, headers=operator
    )
    assert (declined.json()["status"], declined.json()["decline_reason"]) == ("declined", "本园区暂无合作代理机构")

    waiting = (await client.get(f"{base}?status=open", headers=operator)).json()
    assert waiting["total"] == 0
    everything = (await client.get(base, headers=operator)).json()
    assert everything["total"] == 2
    foreign_operator = await bearer(db, world, "operator_b")
    foreign = await client.post(
        _api(world, f"/service-requests/{open_request.id}/accept", world.park_b), headers=foreign_operator
    )
    assert foreign.status_code == 404
    unknown = await client.get(f"{base}?status=lost", headers=operator)
    assert unknown.status_code in (400, 422)
    assert "status" in unknown.text
    bad_filter = await client.get(f"{base}?incubatee_id={world.incubatee_b.id}", headers=operator)
    assert (bad_filter.status_code, _fields(bad_filter)) == (422, ["incubatee_id"])


async def test_founders_reach_only_their_own_firm(client, db, world):
    founder = await bearer(db, world, "founder_a")
    service = await make_service(db, world.park_a.id)
    neighbour = await make_incubatee(db, world.park_a, "隔壁企业")
    theirs = await make_delivery(db, neighbour, service)
    mine = await make_delivery(db, world.incubatee_a, service)
    request = await make_request(db, world.incubatee_a, service)

    assert (await client.get(_firm(world, "/service-requests", neighbour), headers=founder)).status_code == 404
    assert (await client.get(_firm(world, "/service-deliveries", neighbour), headers=founder)).status_code == 404
    assert (await client.get(_firm(world, "/service-requests", world.incubatee_b), headers=founder)).status_code == 404
    assert (await client.get(_api(world, "/service-deliveries"), headers=founder)).status_code == 403
    assert (await client.get(_api(world, "/service-requests"), headers=founder)).status_code == 403
    other_firms = await client.post(
        _firm(world, f"/service-deliveries/{theirs.id}/rating"), json={"satisfaction": 5}, headers=founder
    )
    assert other_firms.status_code == 404  # another firm's delivery, through my own firm's path
    not_delivered = await client.post(
        _firm(world, f"/service-deliveries/{request.id}/rating"), json={"satisfaction": 5}, headers=founder
    )
    assert not_delivered.status_code == 404  # a request is not a delivery until it is delivered
    for value in (0, 6, "four"):
        out_of_range = await client.post(
            _firm(world, f"/service-deliveries/{mine.id}/rating"), json={"satisfaction": value}, headers=founder
        )
        assert (out_of_range.status_code, _fields(out_of_range)) == (422, ["satisfaction"])
    long_comment = await client.post(
        _firm(world, f"/service-deliveries/{mine.id}/rating"),
        json={"satisfaction": 3, "comment": "x" * 501},
        headers=founder,
    )
    assert (long_comment.status_code, _fields(long_comment)) == (422, ["comment"])
    operator_rates = await client.post(
        _firm(world, f"/service-deliveries/{mine.id}/rating"),
        json={"satisfaction": 5},
        headers=await bearer(db, world, "operator_a"),
    )
    assert operator_rates.status_code == 403
    assert await db.scalar(sa.select(sa.func.count()).where(ServiceDelivery.satisfaction.is_not(None))) == 0


async def test_a_founder_of_two_firms_in_two_parks_stays_in_each(client, db, world):
    """One account, founder of a firm in each park: each park's path reaches that park's firm only."""
    both = await make_user(db, "two.parks@test.cn", founder_of=world.incubatee_b)
    await db.commit()
    world.users["both"] = both
    headers = await bearer(db, world, "both")
    assert (await client.get(_firm(world, "/service-requests", world.incubatee_b), headers=headers)).status_code == 200
    assert (await client.get(_firm(world, "/service-requests"), headers=headers)).status_code == 404


async def test_two_deliveries_of_one_request_at_once_cannot_both_win(client, db, world):
    operator = await bearer(db, world, "operator_a")
    service = await make_service(db, world.park_a.id)
    request = await make_request(db, world.incubatee_a, service, RequestStatus.ACCEPTED)
    body = _delivery(world, service, request_id=str(request.id))
    responses = await asyncio.gather(
        *(client.post(_api(world, "/service-deliveries"), json=body, headers=operator) for _ in range(2))
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await _count(db, ServiceDelivery) == 1
