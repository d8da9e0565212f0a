"""Graduation and exit recommendations: the rules (pure), the worklist and the audited decisions."""

import datetime
from decimal import Decimal

import msgspec
import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.clock import today
from incubator.incubatees.models import Decision, Incubatee
from incubator.incubatees.rules import Figures, graduation_criteria_met, recommendations
from incubator.periodic_reports.models import PeriodicReport
from incubator.ratings.rubric import incubatee_rules
from tests.conftest import bearer, csrf_token, make_incubatee, page_login

RULES = incubatee_rules()
QUARTERS = [(datetime.date(2017, m, 1), datetime.date(2017, m + 2, 30 if m in (4, 7) else 31)) for m in (1, 4, 7, 10)]


def _year(employees=10, revenue="0", funding="0", high_tech=False) -> list[Figures]:
    return [Figures(s, e, employees, Decimal(revenue), Decimal(funding), high_tech) for s, e in QUARTERS]


@pytest.mark.parametrize(
    ("reports", "met"),
    [
        ([], []),
        (_year(employees=10), ["employees"]),
        (_year(employees=9), []),
        (_year()[1:], []),  # nine months of ten people is not twelve
        (_year(employees=3, revenue="750000"), ["revenue"]),  # 4 × 750,000 = 3,000,000 exactly
        (_year(employees=3, revenue="749999.99"), []),
        (_year(employees=3, funding="250000"), ["funding"]),
        ([*_year(employees=3)[:1], _year(employees=3, high_tech=True)[1]], ["high_tech"]),
    ],
)
def test_graduation_criteria(reports, met):
    assert [c.value for c in graduation_criteria_met(reports, RULES)] == met


def test_the_criteria_are_the_rubrics():
    """Another rubric's thresholds move the outcome: half the revenue, fewer people, no high-tech criterion."""
    graduation = msgspec.structs.replace(
        RULES.graduation, annual_revenue=Decimal(1_500_000), employees=5, high_tech_certified=False
    )
    lenient = msgspec.structs.replace(RULES, graduation=graduation, missed_reports_warning=1)
    reports = [*_year(employees=5, revenue="375000")[:3], _year(employees=5, revenue="375000", high_tech=True)[3]]
    assert graduation_criteria_met(reports, RULES) == ["high_tech"]
    assert graduation_criteria_met(reports, lenient) == ["revenue", "employees"]
    day = datetime.date(2018, 3, 1)
    one_missed = [datetime.date(2017, 10, 1)]
    kinds = [
        r.kind
        for r in recommendations(
            incubating=True, term_ends_on=None, reports=[], missed_in_a_row=one_missed, day=day, rules=lenient
        )
    ]
    assert kinds == ["missed_reports"]
    assert (
        recommendations(
            incubating=True, term_ends_on=None, reports=[], missed_in_a_row=one_missed, day=day, rules=RULES
        )
        == []
    )


def test_recommendations_follow_the_rules():
    day = datetime.date(2018, 3, 1)
    missed = [datetime.date(2017, 7, 1), datetime.date(2017, 10, 1)]
    found = recommendations(
        incubating=True,
        term_ends_on=datetime.date(2018, 2, 28),
        reports=_year(),
        missed_in_a_row=missed,
        day=day,
        rules=RULES,
    )
    assert [(r.kind.value, r.basis) for r in found] == [
        ("graduate", "employees"),
        ("term_overdue", "2018-02-28"),
        ("missed_reports", "2017-07-01,2017-10-01"),
    ]
    on_the_last_day = recommendations(
        incubating=True, term_ends_on=day, reports=[], missed_in_a_row=missed[1:], day=day, rules=RULES
    )
    assert on_the_last_day == []
    assert (
        recommendations(
            incubating=False, term_ends_on=None, reports=_year(), missed_in_a_row=missed, day=day, rules=RULES
        )
        == []
    )


async def _file_a_funded_quarter(db, firm: Incubatee) -> None:
    db.add(
        PeriodicReport(
            park_id=firm.park_id,
            incubatee_id=firm.id,
            frequency="quarterly",
            period_start=datetime.date(2017, 1, 1),
            period_end=datetime.date(2017, 3, 31),
            due_on=datetime.date(2017, 4, 15),
            submitted_on=datetime.date(2017, 4, 10),
            employees=12,
            funding_raised=Decimal(1_200_000),
        )
    )
    await db.commit()


async def test_operator_accepts_a_graduation_and_the_firm_graduates(client, db, world):
    firm = await make_incubatee(db, world.park_a, "龙都电商", term_ends_on=today() + datetime.timedelta(days=400))
    await _file_a_funded_quarter(db, firm)
    headers = await bearer(db, world, "operator_a")
    worklist = (await client.get(f"/api/parks/{world.park_a.id}/recommendations", headers=headers)).json()
    mine = [r for r in worklist["items"] if r["incubatee_id"] == str(firm.id) and r["kind"] != "missed_reports"]
    assert [(r["kind"], r["basis"]) for r in mine] == [("graduate", "funding")]

    url = f"/api/parks/{world.park_a.id}/incubatees/{firm.id}/decisions"
    no_reason = await client.post(url, json={"kind": "graduate", "outcome": "accepted", "reason": " "}, headers=headers)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    decided = await client.post(
        url, json={"kind": "graduate", "outcome": "accepted", "reason": "融资 120 万元，达到毕业条件"}, headers=headers
    )
    assert decided.status_code == 201, decided.text
    await db.refresh(firm)
    assert (firm.status, firm.exit_reason, firm.left_on) == ("graduated", "graduation_criteria", today())
    audited = await db.scalars(sa.select(AuditEntry.entity_type).where(AuditEntry.entity_id == str(firm.id)))
    assert "incubatees" in set(audited)
    decision_audit = await db.scalar(sa.select(AuditEntry).where(AuditEntry.entity_type == "incubatee_decisions"))
    assert decision_audit.actor_email == "operator.a@test.cn"
    again = await client.post(url, json={"kind": "graduate", "outcome": "accepted", "reason": "再次"}, headers=headers)
    assert again.status_code == 409


async def test_a_dismissed_recommendation_stays_answered_until_its_basis_changes(client, db, world):
    headers = await bearer(db, world, "operator_a")
    url = f"/api/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}"
    standing = (await client.get(f"{url}/recommendations", headers=headers)).json()
    assert {r["kind"] for r in standing} == {"term_overdue", "missed_reports"}  # term ended 2019; nothing filed
    response = await client.post(
        f"{url}/decisions", json={"kind": "term_overdue", "outcome": "dismissed", "reason": "延期一年"}, headers=headers
    )
    assert response.status_code == 201
    assert {r["kind"] for r in (await client.get(f"{url}/recommendations", headers=headers)).json()} == {
        "missed_reports"
    }
    [decision] = (await client.get(f"{url}/decisions", headers=headers)).json()
    assert (decision["basis"], decision["outcome"], decision["reason"]) == ("2019-02-28", "dismissed", "延期一年")
    firm = await db.scalar(sa.select(Incubatee).where(Incubatee.id == world.incubatee_a.id))
    firm.term_ends_on = datetime.date(2020, 2, 29)  # a new term end asks again
    await db.commit()
    assert "term_overdue" in {r["kind"] for r in (await client.get(f"{url}/recommendations", headers=headers)).json()}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "promote", "outcome": "accepted", "reason": "x"}, "kind"),
        ({"kind": "graduate", "outcome": "maybe", "reason": "x"}, "outcome"),
        ({"kind": "graduate", "outcome": "accepted", "reason": "长" * 501}, "reason"),
        ({"kind": "graduate", "outcome": "accepted", "reason": "没有毕业建议"}, "kind"),  # none stands
    ],
)
async def test_bad_decisions_write_nothing(client, db, world, body, field):
    url = f"/api/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}/decisions"
    response = await client.post(url, json=body, headers=await bearer(db, world, "operator_a"))
    assert response.status_code in (409, 422)
    assert response.json()["errors"][0]["field"] == field
    assert await db.scalar(sa.select(sa.func.count()).select_from(Decision)) == 0


async def test_other_parks_cannot_see_or_decide(client, db, world):
    url = f"/api/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}/decisions"
    body = {"kind": "term_overdue", "outcome": "accepted", "reason": "x"}
    assert (await client.post(url, json=body, headers=await bearer(db, world, "operator_b"))).status_code == 404
    foreign = f"/api/parks/{world.park_b.id}/incubatees/{world.incubatee_a.id}/recommendations"
    assert (await client.get(foreign, headers=await bearer(db, world, "operator_b"))).status_code == 404
    read_only = await client.post(url, json=body, headers=await bearer(db, world, "bureau"))
    assert read_only.status_code == 403


async def test_operator_decides_from_the_worklist_page(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    home = await client.get(f"/parks/{world.park_a.id}")
    assert "待处理建议" in home.text
    worklist = await client.get(f"/parks/{world.park_a.id}/recommendations")
    assert "濮阳巧手编织坊" in worklist.text
    assert "孵化期已满" in worklist.text
    url = f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}/decisions"
    token = await csrf_token(client)
    missing = await client.post(
        url, data={"kind": "term_overdue", "outcome": "accepted", "reason": "", "_csrf_token": token}
    )
    assert missing.status_code == 400
    assert "理由" in missing.text
    done = await client.post(
        url,
        data={"kind": "term_overdue", "outcome": "accepted", "reason": "孵化期满，办理出孵", "_csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    firm = await db.scalar(sa.select(Incubatee).where(Incubatee.id == world.incubatee_a.id))
    await db.refresh(firm)
    assert (firm.status, firm.exit_reason) == ("exited", "term_expired")
    detail = await client.get(f"/parks/{world.park_a.id}/incubatees/{world.incubatee_a.id}")
    assert "孵化期满，办理出孵" in detail.text
