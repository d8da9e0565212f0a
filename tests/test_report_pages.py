"""The founders' portal and the park's report pages."""

import sqlalchemy as sa

from incubator.auth.models import Membership, User
from incubator.periodic_reports.models import PeriodicReport
from tests.conftest import PASSWORD, csrf_token, page_login


async def _form(client, **values):
    return {**values, "_csrf_token": await csrf_token(client)}


async def test_founder_lands_on_the_portal_and_files_an_overdue_report(client, db, world):
    await page_login(client, db, world.user("founder_a"))
    portal = await client.get("/", follow_redirects=True)
    assert str(portal.url).endswith(f"/parks/{world.park_a.id}/portal")
    assert "濮阳巧手编织坊" in portal.text
    assert "待报送报表" in portal.text
    assert "逾期" in portal.text

    form = await client.get(f"/parks/{world.park_a.id}/portal/reports/new?period=2016-04-01")
    assert 'value="2016-04-01" selected' in form.text
    refused = await client.post(
        f"/parks/{world.park_a.id}/portal/reports/new",
        data=await _form(client, period_start="2016-04-01", employees="6", new_jobs="2", revenue="-5", tax="0"),
    )
    assert refused.status_code == 400
    assert 'id="revenue-error"' in refused.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(PeriodicReport)) == 0

    filed = await client.post(
        f"/parks/{world.park_a.id}/portal/reports/new",
        data=await _form(
            client,
            period_start="2016-04-01",
            employees="6",
            new_jobs="2",
            revenue="180000",
            tax="5400",
            loan_amount="100000",
            loan_bank="濮阳农商银行",
            high_tech_certified__present="1",
        ),
        follow_redirects=False,
    )
    assert filed.status_code == 303
    report = await db.scalar(sa.select(PeriodicReport))
    assert (report.employees, report.loan_bank, report.by_park, report.complete) == (6, "濮阳农商银行", False, True)
    portal = await client.get(f"/parks/{world.park_a.id}/portal")
    assert "逾期报送" in portal.text


async def test_founder_cannot_open_another_firms_report_in_the_portal(client, db, world):
    await page_login(client, db, world.user("founder_b"))
    assert (await client.get(f"/parks/{world.park_a.id}/portal")).status_code == 404
    await page_login(client, db, world.user("operator_a"))
    assert (await client.get(f"/parks/{world.park_a.id}/portal")).status_code == 403


async def test_operator_files_on_the_founders_behalf_and_sees_who_is_behind(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    home = await client.get(f"/parks/{world.park_a.id}")
    assert "有逾期未报报表的企业" in home.text
    detail = await client.get(f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}")
    assert 'id="reports"' in detail.text
    assert "逾期未报" in detail.text
    url = f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}/reports/new"
    filed = await client.post(
        url,
        data=await _form(client, period_start="2016-01-01", employees="2", high_tech_certified="on"),
        follow_redirects=False,
    )
    assert filed.status_code == 303
    report = await db.scalar(sa.select(PeriodicReport))
    assert (report.by_park, report.complete, report.high_tech_certified) == (True, False, True)
    edit_url = f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}/reports/{report.id}/edit"
    assert "更正报表" in (await client.get(edit_url)).text
    fixed = await client.post(
        edit_url,
        data=await _form(client, employees="2", new_jobs="0", revenue="0", tax="0", high_tech_certified__present="1"),
        follow_redirects=False,
    )
    assert fixed.status_code == 303
    await db.refresh(report)
    assert (report.complete, report.high_tech_certified) == (True, False)

    listing = await client.get(f"/parks/{world.park_a.id}/reports?overdue=true")
    assert "濮阳巧手编织坊" in listing.text


async def test_operator_gives_a_founder_portal_access(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    url = f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}/portal-accounts"
    short = await client.post(
        url, data=await _form(client, display_name="王秀英", email="wang@test.cn", password="short")
    )
    assert short.status_code == 400
    assert 'id="password-error"' in short.text
    taken = await client.post(
        url, data=await _form(client, display_name="王秀英", email="founder.a@test.cn", password="long-enough-pw")
    )
    assert taken.status_code == 400
    made = await client.post(
        url,
        data=await _form(client, display_name="王秀英", email="wang@test.cn", password=PASSWORD),
        follow_redirects=False,
    )
    assert made.status_code == 303
    user = await db.scalar(sa.select(User).where(User.email == "wang@test.cn"))
    membership = await db.scalar(sa.select(Membership).where(Membership.user_id == user.id))
    assert (membership.park_id, membership.incubatee_id, membership.role) == (
        world.park_a.id,
        world.incubatee_a.id,
        "founder",
    )
    assert "wang@test.cn" in (await client.get(f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}")).text

    client.cookies.clear()
    login = await client.post(
        "/login", data=await _form(client, email="wang@test.cn", password=PASSWORD), follow_redirects=True
    )
    assert str(login.url).endswith(f"/parks/{world.park_a.id}/portal")


async def test_park_policy_sets_the_reporting_frequency(client, db, world):
    await page_login(client, db, world.user("admin"))
    form = await client.get(f"/parks/{world.park_a.id}/edit")
    assert 'name="report_frequency"' in form.text
    bad = await client.post(
        f"/parks/{world.park_a.id}/edit",
        data=await _form(
            client,
            name="甲园区",
            code="PARK-A",
            kind="park",
            level="county",
            district="华龙区",
            report_frequency="weekly",
        ),
    )
    assert bad.status_code == 400
    assert 'id="report_frequency-error"' in bad.text
