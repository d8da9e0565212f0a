"""Periodic reports through the API: founders file their own firm's, the park files on their behalf."""

import datetime

import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.clock import today
from incubator.parks.models import Park, ReportFrequency
from incubator.periodic_reports.models import PeriodicReport
from incubator.periodic_reports.periods import period_containing
from tests.conftest import bearer, make_incubatee


def _last_ended_quarter() -> datetime.date:
    return period_containing(
        period_containing(today(), ReportFrequency.QUARTERLY).start - datetime.timedelta(days=1),
        ReportFrequency.QUARTERLY,
    ).start


def _url(world, incubatee=None) -> str:
    return f"/api/parks/{world.park_a.id}/incubatees/{(incubatee or world.incubatee_a).id}/reports"


JOURNEY = {
    "employees": 6,
    "new_jobs": 2,
    "revenue": "180000.00",
    "tax": "5400",
    "loan_amount": "100000",
    "loan_bank": "濮阳农商银行",
}


async def _generous_due_dates(db, world) -> None:
    """Due 90 days after each period: the last quarter's report is on time whatever today is."""
    park = await db.get(Park, world.park_a.id)
    park.report_due_days = 90
    await db.commit()


async def _reports(db) -> int:
    return await db.scalar(sa.select(sa.func.count()).select_from(PeriodicReport))


async def test_founder_files_the_quarterly_report_of_their_firm(client, db, world):
    await _generous_due_dates(db, world)
    period = _last_ended_quarter()
    response = await client.post(
        _url(world), json={"period_start": period.isoformat(), **JOURNEY}, headers=await bearer(db, world, "founder_a")
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["state"], report["complete"], report["by_park"]) == ("on_time", True, False)
    assert (report["employees"], report["loan_amount"], report["loan_bank"]) == (6, "100000.00", "濮阳农商银行")
    assert (
        report["due_on"]
        == (period_containing(period, ReportFrequency.QUARTERLY).end + datetime.timedelta(days=90)).isoformat()
    )
    entry = await db.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "periodic_reports"))
    assert entry.actor_email == "founder.a@test.cn"


async def test_a_report_filed_after_its_due_date_is_late_and_the_park_may_file_it(client, db, world):
    response = await client.post(
        _url(world), json={"period_start": "2016-04-01", "employees": 3}, headers=await bearer(db, world, "operator_a")
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["state"], report["complete"], report["by_park"]) == ("late", False, True)
    assert (report["period_end"], report["due_on"]) == ("2016-06-30", "2016-07-15")


async def test_the_schedule_shows_overdue_periods_and_missed_reports_in_a_row(client, db, world):
    headers = await bearer(db, world, "founder_a")
    await client.post(_url(world), json={"period_start": "2016-04-01", **JOURNEY}, headers=headers)
    schedule = (await client.get(_url(world), headers=headers)).json()
    states = [e["state"] for e in schedule["entries"]]
    assert schedule["entries"][0]["period_start"] == "2016-01-01"  # admitted 2016-03-01: the first quarter counts
    assert states[:3] == ["overdue", "late", "overdue"]
    assert states[-1] in ("open", "due")
    assert schedule["missed_in_a_row"] >= 2

    compliance = (
        await client.get(
            f"/api/parks/{world.park_a.id}/reports?overdue=true", headers=await bearer(db, world, "operator_a")
        )
    ).json()
    [row] = compliance["items"]
    assert (row["name"], row["late"], row["on_time"]) == ("濮阳巧手编织坊", 1, 0)
    assert row["overdue"] == row["settled"] - 1


async def test_monthly_parks_owe_a_report_a_month(client, db, world):
    park = await db.get(Park, world.park_a.id)
    park.report_frequency = ReportFrequency.MONTHLY
    await db.commit()
    firm = await make_incubatee(db, world.park_a, "月报企业")
    firm.admitted_on, firm.left_on, firm.status = datetime.date(2017, 1, 15), datetime.date(2017, 3, 10), "graduated"
    await db.commit()
    schedule = (await client.get(_url(world, firm), headers=await bearer(db, world, "operator_a"))).json()
    assert [e["period_start"] for e in schedule["entries"]] == ["2017-01-01", "2017-02-01", "2017-03-01"]
    refused = await client.post(
        _url(world, firm), json={"period_start": "2017-04-01"}, headers=await bearer(db, world, "operator_a")
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "period_start"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period_start": "2016-05-01"}, "period_start"),  # not the start of a quarter
        ({"period_start": "2015-10-01"}, "period_start"),  # before admission
        ({"period_start": "2116-01-01"}, "period_start"),  # not in incubation then (and not ended)
        ({"period_start": "2016-04-01", "revenue": "-1"}, "revenue"),
        ({"period_start": "2016-04-01", "employees": -1}, "employees"),
        ({"period_start": "2016-04-01", "new_jobs": "many"}, "new_jobs"),
        ({"period_start": "2016-04-01", "tax": "1.001"}, "tax"),
        ({"period_start": "2016-04-01", "loan_amount": "50000"}, "loan_bank"),
        ({"period_start": "2016-04-01", "loan_bank": "某银行"}, "loan_amount"),
        ({"period_start": "2016-04-01", "note": "长" * 501}, "note"),
        ({"period_start": "2016-04-01", "profit": 3}, "profit"),
        ({"employees": 3}, "period_start"),
    ],
)
async def test_bad_reports_are_refused_whole(client, db, world, body, field):
    response = await client.post(_url(world), json=body, headers=await bearer(db, world, "founder_a"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await _reports(db) == 0


async def test_the_current_period_cannot_be_filed_before_it_ends(client, db, world):
    current = period_containing(today(), ReportFrequency.QUARTERLY).start
    response = await client.post(
        _url(world), json={"period_start": current.isoformat()}, headers=await bearer(db, world, "founder_a")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "period_start"


async def test_a_period_is_filed_once_then_corrected(client, db, world):
    headers = await bearer(db, world, "operator_a")
    first = await client.post(_url(world), json={"period_start": "2016-04-01", "employees": 3}, headers=headers)
    again = await client.post(_url(world), json={"period_start": "2016-04-01", "employees": 4}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 409)
    assert again.json()["errors"][0]["field"] == "period_start"
    report_url = f"{_url(world)}/{first.json()['id']}"
    late_fix = await client.patch(report_url, json={"employees": 5}, headers=await bearer(db, world, "founder_a"))
    assert late_fix.status_code == 409  # past its due date: only the park corrects it now
    fixed = await client.patch(
        report_url, json={"employees": 5, "new_jobs": 1, "revenue": "1000", "tax": "0"}, headers=headers
    )
    assert fixed.status_code == 200
    assert (fixed.json()["employees"], fixed.json()["complete"]) == (5, True)


async def test_founders_reach_only_their_own_firm(client, db, world):
    neighbour = await make_incubatee(db, world.park_a, "隔壁企业")
    await db.commit()
    own = await client.get(_url(world), headers=await bearer(db, world, "founder_a"))
    other = await client.get(_url(world, neighbour), headers=await bearer(db, world, "founder_a"))
    filed = await client.post(
        _url(world, neighbour), json={"period_start": "2016-04-01"}, headers=await bearer(db, world, "founder_a")
    )
    foreign = await client.get(_url(world), headers=await bearer(db, world, "founder_b"))
    assert (own.status_code, other.status_code, filed.status_code, foreign.status_code) == (200, 404, 404, 404)
    assert await _reports(db) == 0


async def test_another_parks_operator_cannot_file_or_read(client, db, world):
    headers = await bearer(db, world, "operator_b")
    filed = await client.post(_url(world), json={"period_start": "2016-04-01"}, headers=headers)
    listed = await client.get(f"/api/parks/{world.park_a.id}/reports", headers=headers)
    assert (filed.status_code, listed.status_code) == (404, 404)
    wrong_park = f"/api/parks/{world.park_b.id}/incubatees/{world.incubatee_a.id}/reports"
    assert (await client.get(wrong_park, headers=headers)).status_code == 404


async def test_an_applicant_files_no_reports(client, db, world):
    applicant = await make_incubatee(db, world.park_a, "申请企业", status="applicant")
    await db.commit()
    response = await client.post(
        _url(world, applicant), json={"period_start": "2016-04-01"}, headers=await bearer(db, world, "operator_a")
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "status"
