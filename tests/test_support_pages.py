"""Support services on the pages: the operator's catalog, deliveries and worklist, and the founder's portal."""

import datetime

import sqlalchemy as sa

from incubator.clock import today
from incubator.incubatees.models import IncubateeStatus
from incubator.support.models import RequestStatus, ServiceCategory, ServiceDelivery, ServiceRequest, SupportService
from tests.conftest import csrf_token, make_incubatee, page_login
from tests.support_data import make_delivery, make_request, make_service


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


def _support(world, suffix: str = "") -> str:
    return f"/parks/{world.park_a.id}/support{suffix}"


def _portal(world, suffix: str) -> str:
    return f"/parks/{world.park_a.id}/portal{suffix}"


async def _count(db, model) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(model))


async def test_operator_keeps_the_catalog_grouped_by_category(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    empty = await client.get(_support(world))
    assert "服务目录为空" in empty.text
    missing = await client.post(_support(world, "/services"), data=await _form(client, name="", category="tech_ip"))
    assert missing.status_code == 400
    assert 'id="name-error"' in missing.text
    for name, category in [
        ("商标注册代理", "tech_ip"),
        ("创业担保贷款", "finance_guaranteed_loan"),
        ("创业培训", "training"),
    ]:
        added = await client.post(
            _support(world, "/services"),
            data=await _form(client, name=name, category=category, provider="园区服务中心"),
            follow_redirects=False,
        )
        assert added.status_code == 303
    twice = await client.post(
        _support(world, "/services"), data=await _form(client, name="创业培训", category="training")
    )
    assert twice.status_code == 400
    assert 'id="name-error"' in twice.text
    assert await _count(db, SupportService) == 3

    page = (await client.get(_support(world))).text
    headings = [page.index(label) for label in ("创业培训</strong>", "知识产权服务</strong>", "创业担保贷款</strong>")]
    assert headings == sorted(headings)  # training, then technical support, then financing

    loan = await db.scalar(sa.select(SupportService).where(SupportService.name == "创业担保贷款"))
    edit = await client.get(_support(world, f"/services/{loan.id}/edit"))
    assert "园区服务中心" in edit.text
    retired = await client.post(
        _support(world, f"/services/{loan.id}/edit"),
        data=await _form(client, name="创业担保贷款", category="finance_guaranteed_loan", is_active__present="1"),
        follow_redirects=False,
    )
    assert retired.status_code == 303
    assert "已停止提供" in (await client.get(_support(world))).text
    too_long = await client.post(
        _support(world, f"/services/{loan.id}/edit"),
        data=await _form(client, name="x" * 101, category="finance_guaranteed_loan"),
    )
    assert too_long.status_code == 400
    assert 'id="name-error"' in too_long.text


async def test_operator_records_a_delivery_with_help_and_messages(client, db, world):
    loan = await make_service(db, world.park_a.id, "创业担保贷款", ServiceCategory.FINANCE_GUARANTEED_LOAN)
    await page_login(client, db, world.user("operator_a"))
    blank = await client.get(_support(world, "/deliveries/new"))
    assert "濮阳巧手编织坊" in blank.text
    assert "创业担保贷款 · 创业担保贷款" in blank.text
    assert "仅创业担保贷款填写" in blank.text  # the help beside the bank
    values = {
        "incubatee_id": str(world.incubatee_a.id),
        "service_id": str(loan.id),
        "delivered_on": "2017-05-02",
        "hours": "",
        "amount": "",
        "lender": "濮阳农商银行",
        "fee": "",
        "outcome": "",
        "provider": "",
    }
    no_amount = await client.post(_support(world, "/deliveries/new"), data=await _form(client, **values))
    assert no_amount.status_code == 400
    assert 'id="amount-error"' in no_amount.text
    assert "濮阳农商银行" in no_amount.text  # what was typed stays in the form
    negative = await client.post(
        _support(world, "/deliveries/new"), data=await _form(client, **{**values, "amount": "-5"})
    )
    assert negative.status_code == 400
    assert 'id="amount-error"' in negative.text
    future = (today() + datetime.timedelta(days=2)).isoformat()
    early = await client.post(
        _support(world, "/deliveries/new"),
        data=await _form(client, **{**values, "amount": "100000", "delivered_on": future}),
    )
    assert early.status_code == 400
    assert 'id="delivered_on-error"' in early.text
    assert await _count(db, ServiceDelivery) == 0

    saved = await client.post(
        _support(world, "/deliveries/new"),
        data=await _form(client, **{**values, "amount": "100000"}),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    delivery = await db.scalar(sa.select(ServiceDelivery))
    assert (delivery.amount, delivery.lender, delivery.fee) == (100000, "濮阳农商银行", 0)
    edit = await client.get(_support(world, f"/deliveries/{delivery.id}/edit"))
    assert "100000.00" in edit.text
    corrected = await client.post(
        _support(world, f"/deliveries/{delivery.id}/edit"),
        data=await _form(
            client, service_id=str(loan.id), delivered_on="2017-05-02", amount="80000", lender="濮阳农商银行", fee="0"
        ),
        follow_redirects=False,
    )
    assert corrected.status_code == 303
    refused = await client.post(
        _support(world, f"/deliveries/{delivery.id}/edit"),
        data=await _form(client, service_id=str(loan.id), delivered_on="2017-05-02", amount="80000", lender=""),
    )
    assert refused.status_code == 400
    assert 'id="lender-error"' in refused.text
    again = await db.scalar(sa.select(ServiceDelivery).execution_options(populate_existing=True))
    assert (again.amount, again.lender) == (80000, "濮阳农商银行")


async def test_delivery_list_searches_filters_pages_and_has_an_empty_state(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    assert "没有符合条件的服务记录" in (await client.get(_support(world, "/deliveries"))).text
    ip = await make_service(db, world.park_a.id, "商标注册代理", ServiceCategory.TECH_IP)
    training = await make_service(db, world.park_a.id, "电商培训", ServiceCategory.TRAINING)
    other = await make_incubatee(db, world.park_a, "华龙电商工作室")
    await db.commit()
    await make_delivery(db, world.incubatee_a, ip, delivered_on=datetime.date(2017, 1, 5))
    await make_delivery(db, other, training, delivered_on=datetime.date(2017, 2, 5))
    await make_delivery(db, world.incubatee_b, await make_service(db, world.park_b.id, "乙园区服务"))

    listed = await client.get(_support(world, "/deliveries"))
    assert "商标注册代理" in listed.text
    assert "电商培训" in listed.text
    assert "乙园区服务" not in listed.text
    rows = await client.get(_support(world, "/deliveries?q=电商"), headers={"HX-Request": "true"})
    assert "<html" not in rows.text
    assert "华龙电商工作室" in rows.text
    assert "濮阳巧手编织坊" not in rows.text
    technical = await client.get(_support(world, "/deliveries?group=technical"))
    assert "商标注册代理" in technical.text
    assert "电商培训" not in technical.text
    paged = await client.get(_support(world, "/deliveries?limit=1&offset=0"))
    assert "1–1 / 2" in paged.text or "1–1" in paged.text
    assert "offset=1" in paged.text
    backwards = await client.get(_support(world, "/deliveries?from=2017-03-01&to=2017-01-01"))
    assert backwards.status_code == 422


async def test_worklist_accept_decline_and_record_the_delivery_from_the_request(client, db, world):
    ip = await make_service(db, world.park_a.id, "商标注册代理")
    first = await make_request(db, world.incubatee_a, ip, need="为“巧手”品牌申请商标")
    second = await make_request(db, world.incubatee_a, ip, need="外观设计专利咨询")
    await make_request(db, world.incubatee_a, ip, RequestStatus.DECLINED, need="已经拒绝的申请")
    await page_login(client, db, world.user("operator_a"))
    home = await client.get(f"/parks/{world.park_a.id}")
    assert "待受理的服务申请</a>: <strong>2</strong>" in home.text
    assert f"/parks/{world.park_a.id}/support" in home.text

    worklist = await client.get(_support(world, "/requests"))
    assert "为“巧手”品牌申请商标" in worklist.text
    assert "外观设计专利咨询" in worklist.text
    assert "已经拒绝的申请" not in worklist.text
    accepted = await client.post(
        _support(world, f"/requests/{first.id}/accept"), data=await _form(client), follow_redirects=False
    )
    assert accepted.status_code == 303
    blank = await client.post(_support(world, f"/requests/{second.id}/decline"), data=await _form(client, reason=""))
    assert blank.status_code == 400
    assert 'id="reason-error"' in blank.text
    declined = await client.post(
        _support(world, f"/requests/{second.id}/decline"),
        data=await _form(client, reason="本园区暂无专利代理合作机构"),
        follow_redirects=False,
    )
    assert declined.status_code == 303

    prefilled = await client.get(_support(world, f"/deliveries/new?request_id={first.id}"))
    assert "为“巧手”品牌申请商标" in prefilled.text
    assert f'name="request_id" value="{first.id}"' in prefilled.text
    assert f'<option value="{world.incubatee_a.id}" selected>' in prefilled.text
    assert f'<option value="{ip.id}" selected>' in prefilled.text
    recorded = await client.post(
        _support(world, "/deliveries/new"),
        data=await _form(
            client,
            request_id=str(first.id),
            incubatee_id=str(world.incubatee_a.id),
            service_id=str(ip.id),
            delivered_on=str(today()),
            hours="2",
            outcome="商标注册申请已受理",
        ),
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    statuses = dict((await db.execute(sa.select(ServiceRequest.id, ServiceRequest.status))).all())
    assert (statuses[first.id], statuses[second.id]) == (RequestStatus.DELIVERED, RequestStatus.DECLINED)
    twice = await client.post(
        _support(world, "/deliveries/new"),
        data=await _form(
            client,
            request_id=str(first.id),
            incubatee_id=str(world.incubatee_a.id),
            service_id=str(ip.id),
            delivered_on=str(today()),
        ),
    )
    assert twice.status_code == 400
    assert "只有待受理或已受理的申请可以登记服务" in twice.text  # about the hidden request, shown as a banner
    their_request = await make_request(db, world.incubatee_b, await make_service(db, world.park_b.id))
    foreign = await client.post(
        _support(world, "/deliveries/new"),
        data=await _form(
            client,
            request_id=str(their_request.id),
            incubatee_id=str(world.incubatee_a.id),
            service_id=str(ip.id),
            delivered_on=str(today()),
        ),
    )
    assert foreign.status_code == 400
    assert "该企业没有这项服务申请" in foreign.text
    assert "没有待办的服务申请" in (await client.get(_support(world, "/requests"))).text
    home = await client.get(f"/parks/{world.park_a.id}")
    assert "待受理的服务申请</a>: <strong>0</strong>" in home.text


async def test_the_incubatee_page_lists_its_services_delivered(client, db, world):
    ip = await make_service(db, world.park_a.id, "商标注册代理")
    await make_delivery(db, world.incubatee_a, ip, satisfaction=4, rated_at=datetime.datetime.now(datetime.UTC))
    other = await make_incubatee(db, world.park_a, "隔壁企业")
    await db.commit()
    await make_delivery(db, other, await make_service(db, world.park_a.id, "隔壁的服务"))
    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}")
    assert page.status_code == 200
    section = page.text[page.text.index('id="services-delivered"') :]
    assert "商标注册代理" in section
    assert "隔壁的服务" not in section
    assert f"/support/deliveries/new?incubatee_id={world.incubatee_a.id}" in section
    bureau = await client.get(f"/parks/{other.park_id}/incubatees/{other.id}")
    assert "隔壁的服务" in bureau.text


async def test_founder_requests_a_trademark_service_on_the_phone(client, db, world):
    ip = await make_service(db, world.park_a.id, "商标注册代理", description="商标查询、注册申请代理")
    await make_service(db, world.park_a.id, "已停的服务", is_active=False)
    theirs = await make_service(db, world.park_b.id, "乙园区服务")
    neighbour = await make_incubatee(db, world.park_a, "隔壁企业")
    await db.commit()
    await make_request(db, neighbour, ip, need="隔壁企业的申请")
    await page_login(client, db, world.user("founder_a"))
    page = await client.get(_portal(world, "/requests"))
    assert page.status_code == 200
    assert 'name="viewport" content="width=device-width' in page.text
    assert "<table" not in page.text  # cards, readable at 390 px
    assert "商标注册代理" in page.text
    assert "商标查询、注册申请代理" in page.text
    assert "已停的服务" not in page.text
    assert "隔壁企业的申请" not in page.text
    assert "您还没有申请过服务" in page.text

    blank = await client.post(_portal(world, "/requests"), data=await _form(client, service_id=str(ip.id), need=" "))
    assert blank.status_code == 400
    assert 'id="need-error"' in blank.text
    foreign = await client.post(
        _portal(world, "/requests"), data=await _form(client, service_id=str(theirs.id), need="商标")
    )
    assert foreign.status_code == 400
    assert 'id="service_id-error"' in foreign.text
    assert await _count(db, ServiceRequest) == 1

    for need in ("为“巧手”品牌申请商标注册", "再申请一个图形商标"):
        sent = await client.post(
            _portal(world, "/requests"),
            data=await _form(client, service_id=str(ip.id), need=need),
            follow_redirects=False,
        )
        assert sent.status_code == 303
    mine = (await client.get(_portal(world, "/requests"))).text
    assert mine.index("再申请一个图形商标") < mine.index("为“巧手”品牌申请商标注册")  # newest first
    assert "待受理" in mine
    stored = await db.scalar(sa.select(ServiceRequest).where(ServiceRequest.need == "再申请一个图形商标"))
    assert (stored.incubatee_id, stored.requested_by.value) == (world.incubatee_a.id, "founder")


async def test_founder_rates_a_delivered_service_4_of_5(client, db, world):
    ip = await make_service(db, world.park_a.id, "商标注册代理")
    mine = await make_delivery(db, world.incubatee_a, ip, outcome="商标注册申请已受理")
    neighbour = await make_incubatee(db, world.park_a, "隔壁企业")
    await db.commit()
    theirs = await make_delivery(db, neighbour, ip, outcome="隔壁企业的服务")
    await page_login(client, db, world.user("founder_a"))
    page = await client.get(_portal(world, "/deliveries"))
    assert "商标注册申请已受理" in page.text
    assert "隔壁企业的服务" not in page.text
    assert "<table" not in page.text
    assert 'type="radio" name="satisfaction" value="4"' in page.text

    none = await client.post(_portal(world, f"/deliveries/{mine.id}/rating"), data=await _form(client))
    assert none.status_code == 400
    assert 'id="satisfaction-error"' in none.text
    six = await client.post(_portal(world, f"/deliveries/{mine.id}/rating"), data=await _form(client, satisfaction="6"))
    assert six.status_code == 400
    other_firm = await client.post(
        _portal(world, f"/deliveries/{theirs.id}/rating"), data=await _form(client, satisfaction="5")
    )
    assert other_firm.status_code == 400
    assert "没有为贵企业提供过这项服务" in other_firm.text
    rated = await client.post(
        _portal(world, f"/deliveries/{mine.id}/rating"),
        data=await _form(client, satisfaction="4", comment="办理及时"),
        follow_redirects=False,
    )
    assert rated.status_code == 303
    after = await client.get(_portal(world, "/deliveries"))
    assert "您的评价：4分（满分5分）: 办理及时" in after.text
    assert 'name="satisfaction"' not in after.text
    ratings = dict((await db.execute(sa.select(ServiceDelivery.id, ServiceDelivery.satisfaction))).all())
    assert ratings == {mine.id: 4, theirs.id: None}


async def test_the_portal_is_the_founders_and_the_operator_pages_are_not(client, db, world):
    await page_login(client, db, world.user("founder_a"))
    assert (await client.get(_support(world, "/requests"))).status_code == 403
    assert "园区尚未发布服务目录" in (await client.get(_portal(world, "/requests"))).text
    assert "园区尚未为贵企业提供服务" in (await client.get(_portal(world, "/deliveries"))).text
    assert (await client.get(f"/parks/{world.park_b.id}/portal/requests")).status_code == 404
    await page_login(client, db, world.user("operator_a"))
    assert (await client.get(_portal(world, "/requests"))).status_code == 403


async def test_a_founder_whose_firm_has_left_is_told_why_a_request_is_refused(client, db, world):
    ip = await make_service(db, world.park_a.id, "商标注册代理")
    world.incubatee_a.status = IncubateeStatus.GRADUATED
    world.incubatee_a.left_on = datetime.date(2018, 12, 31)
    db.add(world.incubatee_a)
    await db.commit()
    await page_login(client, db, world.user("founder_a"))
    refused = await client.post(
        _portal(world, "/requests"), data=await _form(client, service_id=str(ip.id), need="商标")
    )
    assert refused.status_code == 400
    assert "只有在孵企业可以申请服务" in refused.text
    assert await _count(db, ServiceRequest) == 0
