"""Every list exported as CSV (UTF-8 with a BOM) and XLSX, through the API and the pages: parsed back and
compared with the records and with the lists themselves (the same filters keep the same rows)."""

import codecs
import csv
import datetime
import io
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import openpyxl
import pytest
import sqlalchemy as sa

from incubator.audit.models import AuditEntry
from incubator.exchange import exports
from incubator.exchange.layouts import (
    ATTENDANCE,
    DELIVERIES,
    INCUBATEES,
    LEASES,
    MENTOR_SESSIONS,
    MENTORS,
    RATINGS,
    TRAINERS,
    TRAININGS,
    UNITS,
    Layout,
)
from incubator.exchange.writers import csv_text, from_csv_text
from incubator.i18n import LOCALES, translations
from incubator.incubatees.models import ExitReason, IncubateeStatus, IncubateeType
from incubator.mentors.models import Mentor, SessionStatus
from incubator.ratings.models import RatingStatus
from incubator.space.models import Building, Lease, Unit
from incubator.support.models import ServiceCategory
from incubator.trainings.models import Attendance, Trainer
from tests.conftest import (
    ID_NUMBER,
    bearer,
    make_assignment,
    make_enrolment,
    make_founder,
    make_incubatee,
    make_session,
    make_trainee,
    make_training,
    page_login,
)
from tests.rating_data import make_draft, rating_url
from tests.support_data import make_delivery, make_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL_LAYOUTS = [
    INCUBATEES,
    UNITS,
    LEASES,
    DELIVERIES,
    TRAININGS,
    ATTENDANCE,
    MENTOR_SESSIONS,
    RATINGS,
    MENTORS,
    TRAINERS,
]
ZH = translations("zh_CN")


def read_csv(response: Any) -> list[dict[str, str]]:
    """The rows of a CSV download, by (Chinese) header; the file starts with the UTF-8 BOM."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    header, *rows = csv.reader(io.StringIO(response.content[len(codecs.BOM_UTF8) :].decode("utf-8")))
    return [dict(zip(header, row, strict=True)) for row in rows]


def read_xlsx(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def api(world: Any, path: str) -> str:
    return f"/api/parks/{world.park_a.id}{path}"


def page(world: Any, path: str) -> str:
    return f"/parks/{world.park_a.id}{path}"


# The layouts


@pytest.mark.parametrize("layout", ALL_LAYOUTS, ids=lambda layout: layout.kind)
def test_a_layouts_keys_and_headers_are_unique_in_every_language(layout: Layout):
    assert len({column.key for column in layout.columns}) == len(layout.columns)
    for locale in LOCALES:
        headers = [translations(locale).gettext(column.header) for column in layout.columns]
        assert len(set(headers)) == len(headers), locale


def test_the_import_finds_a_column_by_its_header_in_either_language():
    assert INCUBATEES.column_for("统一社会信用代码").key == "credit_code"
    assert INCUBATEES.column_for(" Founder's resident ID number ").key == "founder_id_number"
    assert UNITS.column_for("房源编号").key == "code"
    assert ATTENDANCE.column_for("电话").key == "phone"
    assert INCUBATEES.column_for("备注栏") is None


def test_csv_guards_text_a_spreadsheet_would_take_for_a_formula():
    for text in ("=1+1", "+8613800000000", "-5", "@SUM(A1)", "普通文字", "'引号"):
        assert from_csv_text(csv_text(text)) == text
    assert (csv_text("=1+1"), csv_text("普通文字"), csv_text(None)) == ("'=1+1", "普通文字", "")


# Incubatees with their founders


@pytest.fixture
async def firms(db, world, settings):
    """Park A: the world's firm with two founders, an applicant without founders, a graduated firm; park B's
    firm stays out of every park A export."""
    world.incubatee_a.credit_code = "91410900MA44L7XN26"
    world.incubatee_a.industry = "手工编织"
    second = await make_founder(db, settings, world.incubatee_a, "李建国", "410928198503120046")
    second.phone = "+86 138 0000 1111"
    applicant = await make_incubatee(
        db, world.park_a, "华龙电商服务部", status=IncubateeStatus.APPLICANT, kind=IncubateeType.E_COMMERCE
    )
    graduated = await make_incubatee(
        db,
        world.park_a,
        "濮阳智造科技",
        status=IncubateeStatus.GRADUATED,
        kind=IncubateeType.TECHNOLOGY,
        left_on=datetime.date(2017, 12, 1),
        exit_reason=ExitReason.GRADUATION_CRITERIA,
        exit_note="=HYPERLINK(1)",
    )
    await make_founder(db, settings, world.incubatee_b, "赵六", None)
    await db.commit()
    return {"applicant": applicant, "graduated": graduated, "second": second}


async def test_incubatees_export_one_row_per_founder_with_chinese_headers(client, db, world, firms):
    operator = await bearer(db, world, "operator_a")
    response = await client.get(api(world, "/incubatees/export"), headers=operator)
    rows = read_csv(response)
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('在孵企业_甲园区_')}" in disposition
    assert response.headers["cache-control"] == "private, no-store"

    listed = (await client.get(api(world, "/incubatees?limit=100"), headers=operator)).json()["items"]
    per_founder = [
        (firm["name"], founder["name"]) for firm in listed for founder in firm["founders"] or [None] if founder
    ]
    exported = [(row["企业名称"], row["创业者姓名"]) for row in rows if row["创业者姓名"]]
    assert exported == per_founder
    assert [row["企业名称"] for row in rows] == ["华龙电商服务部", "濮阳巧手编织坊", "濮阳巧手编织坊", "濮阳智造科技"]
    assert "清丰食用菌合作社" not in response.text

    applicant, *founders, graduated = rows
    assert applicant["创业者姓名"] == applicant["创业者身份证号"] == ""
    assert applicant["状态"] == ZH.gettext("Applicant")
    first, second = founders
    assert first["统一社会信用代码"] == second["统一社会信用代码"] == "91410900MA44L7XN26"
    assert first["企业类型"] == ZH.gettext("Traditional handicraft")
    assert first["创业者身份证号"] == "110***********002X"
    assert second["创业者身份证号"] == "410***********0046"
    assert from_csv_text(second["创业者电话"]) == "+86 138 0000 1111"
    assert first["入孵日期"] == "2016-03-01"
    assert first["创业者人员类别"] == ZH.gettext("Returning migrant worker")
    assert graduated["离园日期"] == "2017-12-01"
    assert graduated["离园原因"] == ZH.gettext("Met the graduation criteria")
    assert from_csv_text(graduated["离园说明"]) == "=HYPERLINK(1)"


async def test_an_incubatee_export_keeps_the_lists_filters_and_order(client, db, world, firms):
    operator = await bearer(db, world, "operator_a")
    for query in ("status=applicant", "kind=technology", "q=巧手", "sort=admitted_on", "status=exited"):
        listed = (await client.get(api(world, f"/incubatees?{query}"), headers=operator)).json()["items"]
        rows = read_xlsx(await client.get(api(world, f"/incubatees/export?format=xlsx&{query}"), headers=operator))
        assert list(dict.fromkeys(row["企业名称"] for row in rows)) == [firm["name"] for firm in listed], query

    await page_login(client, db, world.user("operator_a"))
    rows = read_xlsx(await client.get(page(world, "/incubatees/export?format=xlsx&status=graduated&kind=")))
    (graduated,) = rows
    assert graduated["企业名称"] == "濮阳智造科技"
    assert graduated["离园日期"] == datetime.datetime(2017, 12, 1)
    assert graduated["离园说明"] == "=HYPERLINK(1)"  # text, not a formula


async def test_the_incubatee_page_carries_its_filters_to_the_download(client, db, world, firms):
    await page_login(client, db, world.user("operator_a"))
    html = (await client.get(page(world, "/incubatees?status=incubating&q=巧手"))).text
    assert f'formaction="/parks/{world.park_a.id}/incubatees/export" name="format" value="xlsx"' in html
    assert 'name="id_numbers" value="full"' in html  # operators may download full numbers
    await page_login(client, db, world.user("bureau"))
    html = (await client.get(page(world, "/incubatees"))).text
    assert "incubatees/export" in html
    assert 'name="id_numbers"' not in html


async def test_full_id_numbers_only_for_those_who_may_reveal_them_and_each_is_audited(client, db, world, firms):
    reveals = sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "reveal")
    bureau = await bearer(db, world, "bureau")
    masked = read_csv(await client.get(api(world, "/incubatees/export"), headers=bureau))
    assert {row["创业者身份证号"] for row in masked} == {"", "110***********002X", "410***********0046"}
    refused = await client.get(api(world, "/incubatees/export?id_numbers=full"), headers=bureau)
    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"field": "id_numbers", "message": "您的角色无权导出完整身份证号。"}]
    assert await db.scalar(reveals) == 0

    operator = await bearer(db, world, "operator_a")
    full = read_csv(await client.get(api(world, "/incubatees/export?id_numbers=full&q=巧手"), headers=operator))
    assert [row["创业者身份证号"] for row in full] == [ID_NUMBER, "410928198503120046"]
    audited = (await db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "reveal"))).all()
    assert sorted(entry.entity_id for entry in audited) == sorted(
        str(f) for f in (world.founder_a.id, firms["second"].id)
    )
    assert {entry.actor_email for entry in audited} == {"operator.a@test.cn"}
    assert {entry.park_id for entry in audited} == {world.park_a.id}

    # a filter that keeps no founder reveals nothing
    await client.get(api(world, "/incubatees/export?id_numbers=full&status=applicant"), headers=operator)
    assert await db.scalar(reveals) == 2
    bad = await client.get(api(world, "/incubatees/export?id_numbers=all"), headers=operator)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "id_numbers"


async def test_the_headers_follow_the_readers_language(client, db, world, firms):
    client.cookies.set("locale", "en")
    rows = read_csv(await client.get(api(world, "/incubatees/export"), headers=await bearer(db, world, "bureau")))
    assert list(rows[0])[:3] == ["Firm name", "Unified social credit code", "Type of firm"]
    assert rows[0]["Status"] == "Applicant"


# Refusals: a foreign park, a bad format, a list too long for a sheet


@pytest.mark.parametrize(
    "path",
    [
        "/incubatees/export",
        "/units/export",
        "/leases/export",
        "/service-deliveries/export",
        "/trainings/export",
        "/mentor-sessions/export",
        "/ratings/export",
    ],
)
async def test_another_parks_operator_gets_404(client, db, world, path):
    response = await client.get(api(world, path), headers=await bearer(db, world, "operator_b"))
    assert response.status_code == 404


async def test_another_parks_training_roll_is_404(client, db, world):
    theirs = await make_training(db, world.park_b)
    operator = await bearer(db, world, "operator_a")
    response = await client.get(api(world, f"/trainings/{theirs.id}/enrolments/export"), headers=operator)
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "training_id"


async def test_a_bad_format_is_refused_naming_the_field(client, db, world):
    response = await client.get(api(world, "/units/export?format=pdf"), headers=await bearer(db, world, "operator_a"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "format"
    await page_login(client, db, world.user("operator_a"))
    response = await client.get(page(world, "/space/units/export?format=ods"))
    assert response.status_code == 422
    assert "<code>format</code>" in response.text


async def test_a_list_longer_than_a_sheet_is_refused_as_xlsx_but_not_as_csv(client, db, world, firms, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)
    operator = await bearer(db, world, "operator_a")
    refused = await client.get(api(world, "/incubatees/export?format=xlsx"), headers=operator)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "format"
    assert len(read_csv(await client.get(api(world, "/incubatees/export"), headers=operator))) == 4
    assert len(read_xlsx(await client.get(api(world, "/incubatees/export?format=xlsx&q=巧手"), headers=operator))) == 2


# Space: units and leases


@pytest.fixture
async def space(db, world):
    first, second = Building(park_id=world.park_a.id, name="一号楼"), Building(park_id=world.park_a.id, name="二号楼")
    db.add_all([first, second])
    await db.flush()
    office = Unit(park_id=world.park_a.id, building_id=first.id, code="101", kind="office", area_m2=Decimal("100.5"))
    office.seats, office.monthly_rent = 10, Decimal("2000.00")
    hall = Unit(park_id=world.park_a.id, building_id=second.id, code="大厅", kind="common_area", area_m2=80)
    hall.free_or_common = True
    db.add_all([office, hall])
    await db.flush()
    other = await make_incubatee(db, world.park_a, "清丰柳编手工坊")
    db.add_all(
        [
            Lease(
                park_id=world.park_a.id,
                unit_id=office.id,
                incubatee_id=world.incubatee_a.id,
                starts_on=datetime.date(2016, 3, 1),
                ends_on=datetime.date(2016, 12, 31),
                monthly_rent=Decimal("1800"),
            ),
            Lease(
                park_id=world.park_a.id,
                unit_id=office.id,
                incubatee_id=other.id,
                starts_on=datetime.date(2017, 1, 1),
                ends_on=datetime.date(2017, 12, 31),
                monthly_rent=Decimal("2000"),
                rent_free_until=datetime.date(2017, 6, 30),
                deposit=Decimal("4000"),
            ),
        ]
    )
    await db.commit()
    return {"first": first, "second": second, "office": office, "hall": hall}


async def test_units_export_with_their_buildings(client, db, world, space):
    operator = await bearer(db, world, "operator_a")
    rows = read_csv(await client.get(api(world, "/units/export"), headers=operator))
    assert [(r["楼栋"], r["房源编号"], r["面积（平方米）"], r["工位数"], r["免费或公共使用"]) for r in rows] == [
        ("一号楼", "101", "100.50", "10", "否"),
        ("二号楼", "大厅", "80.00", "0", "是"),
    ]
    assert rows[0]["房源类型"] == ZH.gettext("Office")
    await page_login(client, db, world.user("bureau"))
    (hall,) = read_xlsx(
        await client.get(page(world, f"/space/units/export?format=xlsx&building_id={space['second'].id}"))
    )
    assert (hall["房源编号"], hall["面积（平方米）"], hall["月租金（元）"]) == ("大厅", 80, 0)


async def test_leases_export_with_the_lists_filters(client, db, world, space):
    operator = await bearer(db, world, "operator_a")
    rows = read_xlsx(await client.get(api(world, "/leases/export?format=xlsx"), headers=operator))
    assert [(r["房源编号"], r["在孵企业"], r["开始日期"].date()) for r in rows] == [
        ("101", "清丰柳编手工坊", datetime.date(2017, 1, 1)),
        ("101", "濮阳巧手编织坊", datetime.date(2016, 3, 1)),
    ]
    assert (rows[0]["月租金（元）"], rows[0]["押金（元）"], rows[0]["免租截止日期"].date()) == (
        2000,
        4000,
        datetime.date(2017, 6, 30),
    )
    (running,) = read_csv(await client.get(api(world, "/leases/export?active_on=2016-06-01"), headers=operator))
    assert running["在孵企业"] == "濮阳巧手编织坊"
    await page_login(client, db, world.user("operator_a"))
    html = (await client.get(page(world, f"/space/units/{space['office'].id}"))).text
    assert f'<input type="hidden" name="unit_id" value="{space["office"].id}">' in html
    hall = read_csv(await client.get(page(world, f"/space/leases/export?unit_id={space['hall'].id}")))
    assert hall == []


# Support services delivered


async def test_deliveries_export_with_the_lists_filters(client, db, world):
    ip = await make_service(db, world.park_a.id, "商标注册代理", ServiceCategory.TECH_IP, provider="园区")
    loan = await make_service(db, world.park_a.id, "创业担保贷款", ServiceCategory.FINANCE_GUARANTEED_LOAN)
    await make_delivery(db, world.incubatee_a, ip, outcome="已受理", fee=Decimal("300"), satisfaction=None)
    await make_delivery(
        db,
        world.incubatee_a,
        loan,
        delivered_on=datetime.date(2017, 5, 2),
        amount=Decimal("100000"),
        lender="濮阳农商银行",
    )
    await make_delivery(db, world.incubatee_b, await make_service(db, world.park_b.id, "乙园区服务"))
    operator = await bearer(db, world, "operator_a")
    rows = read_csv(await client.get(api(world, "/service-deliveries/export"), headers=operator))
    assert [(r["服务日期"], r["服务项目"], r["金额（元）"], r["贷款银行"]) for r in rows] == [
        ("2017-05-02", "创业担保贷款", "100000.00", "濮阳农商银行"),
        ("2017-03-10", "商标注册代理", "", ""),
    ]
    assert rows[1]["服务收费（元）"] == "300.00"
    assert rows[1]["服务类别"] == ZH.gettext("Intellectual property")
    await page_login(client, db, world.user("bureau"))
    (technical,) = read_xlsx(await client.get(page(world, "/support/deliveries/export?format=xlsx&group=technical")))
    assert (technical["服务项目"], technical["服务收费（元）"]) == ("商标注册代理", 300)
    assert read_csv(await client.get(page(world, "/support/deliveries/export?from=2017-04-01&to=2017-04-30"))) == []
    backwards = await client.get(
        api(world, "/service-deliveries/export?from=2017-05-01&to=2017-04-01"), headers=operator
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "to"


# Trainings and their rolls


async def test_trainings_export_with_places_taken_and_the_filters(client, db, world):
    trainer = Trainer(name="刘讲师", specialties=["网店运营"])
    db.add(trainer)
    await db.commit()
    syb = await make_training(db, world.park_a, trainer_id=trainer.id, location="华龙区人社局")
    forum = await make_training(
        db,
        world.park_a,
        title="返乡创业论坛",
        kind="forum",
        starts_on=datetime.date(2016, 9, 1),
        ends_on=datetime.date(2016, 9, 1),
        hours=Decimal("3.5"),
    )
    await make_enrolment(db, syb, await make_trainee(db, world.park_a, "13800000001"))
    operator = await bearer(db, world, "operator_a")
    rows = read_csv(await client.get(api(world, "/trainings/export"), headers=operator))
    assert [(r["培训名称"], r["讲师"], r["报名人数"], r["学时"]) for r in rows] == [
        (syb.title, "刘讲师", "1", "56.0"),
        (forum.title, "", "0", "3.5"),
    ]
    (only,) = read_csv(await client.get(api(world, "/trainings/export?kind=forum"), headers=operator))
    assert only["培训类型"] == ZH.gettext("Forum")
    await page_login(client, db, world.user("operator_a"))
    (of_2017,) = read_xlsx(await client.get(page(world, "/trainings/export?format=xlsx&year=2017")))
    assert (of_2017["培训名称"], of_2017["计划人数"], of_2017["报名人数"]) == (syb.title, 30, 1)


async def test_a_training_roll_exports_the_attendance(client, db, world):
    training = await make_training(db, world.park_a)
    await make_enrolment(db, training, await make_trainee(db, world.park_a, "13800000002", "王芳", gender="female"))
    await make_enrolment(
        db, training, await make_trainee(db, world.park_a, "13800000001", "李娟"), attendance=Attendance.ATTENDED
    )
    await make_enrolment(
        db, await make_training(db, world.park_a, title="另一期"), await make_trainee(db, world.park_a, "139")
    )
    operator = await bearer(db, world, "operator_a")
    response = await client.get(api(world, f"/trainings/{training.id}/enrolments/export"), headers=operator)
    assert quote(training.title) in response.headers["content-disposition"]
    rows = read_csv(response)
    assert [(r["姓名"], r["电话"], r["出勤情况"], r["报名日期"]) for r in rows] == [
        ("李娟", "13800000001", ZH.gettext("Attended"), "2017-03-06"),
        ("王芳", "13800000002", ZH.gettext("Enrolled"), "2017-03-06"),
    ]
    assert rows[1]["性别"] == ZH.gettext("Female")
    await page_login(client, db, world.user("operator_a"))
    html = (await client.get(page(world, f"/trainings/{training.id}"))).text
    assert f'action="/parks/{world.park_a.id}/trainings/{training.id}/enrolments/export"' in html
    assert len(read_xlsx(await client.get(page(world, f"/trainings/{training.id}/enrolments/export?format=xlsx")))) == 2


# Mentor sessions: the park's and the mentor's own


async def test_mentor_sessions_export_the_parks_list_and_the_mentors_own(client, db, world):
    here = await make_assignment(db, world, world.incubatee_a)
    there = await make_assignment(db, world, world.incubatee_b)
    await make_session(db, here, SessionStatus.SUBMITTED, notes="讨论融资")
    await make_session(db, here, SessionStatus.CONFIRMED, held_on=datetime.date(2017, 4, 1), minutes=90)
    await make_session(db, here, SessionStatus.DRAFT)
    await make_session(db, there, SessionStatus.CONFIRMED, held_on=datetime.date(2017, 5, 1))
    operator = await bearer(db, world, "operator_a")
    rows = read_csv(await client.get(api(world, "/mentor-sessions/export"), headers=operator))
    assert [(r["园区"], r["辅导日期"], r["在孵企业"], r["创业导师"], r["时长（分钟）"]) for r in rows] == [
        ("甲园区", "2017-04-01", "濮阳巧手编织坊", "王导师", "90"),
        ("甲园区", "2017-03-01", "濮阳巧手编织坊", "王导师", "60"),
    ]
    (confirmed,) = read_csv(await client.get(api(world, "/mentor-sessions/export?status=confirmed"), headers=operator))
    assert confirmed["状态"] == ZH.gettext("Confirmed")

    await page_login(client, db, world.user("operator_a"))
    (waiting,) = read_xlsx(
        await client.get(page(world, "/mentor-sessions/export?format=xlsx"))
    )  # as the page: submitted
    assert (waiting["记录"], waiting["方式"]) == ("讨论融资", ZH.gettext("In person"))

    mentor = await bearer(db, world, "mentor")
    own = read_csv(await client.get("/api/my/sessions/export", headers=mentor))
    assert [(r["园区"], r["辅导日期"]) for r in own] == [
        ("乙园区", "2017-05-01"),
        ("甲园区", "2017-04-01"),
        ("甲园区", "2017-03-01"),
        ("甲园区", "2017-03-01"),
    ]
    await page_login(client, db, world.user("mentor"))
    assert len(read_xlsx(await client.get("/my/sessions/export?format=xlsx"))) == 4


# Ratings: the park's and the bureau's queue


async def test_ratings_export_the_parks_list_and_the_review_queue(client, db, world):
    rating = await make_draft(db, world)
    operator, bureau = await bearer(db, world, "operator_a"), await bearer(db, world, "bureau")
    submitted = await client.post(rating_url(world, rating.id, "/submit"), json={"version": 1}, headers=operator)
    assert submitted.status_code == 201, submitted.text
    (mine,) = read_csv(await client.get(api(world, "/ratings/export"), headers=operator))
    assert (mine["星级评定期"], mine["园区编码"], mine["园区"], mine["修订版次"]) == ("2017", "PARK-A", "甲园区", "1")
    assert mine["状态"] == ZH.gettext("Submitted by the park")
    assert Decimal(mine["总分"]) == rating.total
    (sheet_row,) = read_xlsx(await client.get(api(world, "/ratings/export?format=xlsx"), headers=operator))
    assert (sheet_row["星级"], sheet_row["不合格"]) == (rating.stars, "是" if rating.failed else "否")
    assert Decimal(str(sheet_row["奖补资金（元）"])) == rating.funding

    queue = read_xlsx(await client.get("/api/ratings/export?format=xlsx&period=2017", headers=bureau))
    assert [row["园区编码"] for row in queue] == ["PARK-A", "PARK-B"]  # what waits for the bureau first
    await page_login(client, db, world.user("bureau"))
    html = (await client.get("/ratings?period=2017")).text
    assert 'formaction="/ratings/export"' in html
    (waiting,) = read_csv(await client.get(f"/ratings/export?period=2017&status={RatingStatus.SUBMITTED.value}"))
    assert waiting["园区"] == "甲园区"
    unknown = await client.get("/api/ratings/export?period=1999", headers=bureau)
    assert unknown.status_code == 404


# The city's pools


async def test_the_pools_export_with_their_search(client, db, world):
    db.add_all(
        [
            Mentor(name="李导师", organisation="濮阳市农商银行", expertise=["融资", "财务"], max_mentees=8),
            Mentor(name="退休导师", organisation="某单位", active=False),
            Trainer(name="刘讲师", specialties=["SYB"], phone="13900000000"),
        ]
    )
    await db.commit()
    founder = await bearer(db, world, "founder_a")
    rows = read_csv(await client.get("/api/mentors/export", headers=founder))
    assert [row["姓名"] for row in rows] == ["李导师", "王导师"]  # by pinyin, the retired one left out
    (banker,) = read_csv(await client.get("/api/mentors/export?q=银行", headers=founder))
    assert (banker["擅长领域"], banker["同时辅导企业上限"]) == ("融资、财务", "8")
    await page_login(client, db, world.user("operator_a"))
    assert 'formaction="/mentors/export"' in (await client.get("/mentors")).text
    assert [row["姓名"] for row in read_xlsx(await client.get("/mentors/export?format=xlsx&q=融资"))] == [
        "李导师",
        "王导师",
    ]
    (trainer,) = read_xlsx(await client.get("/trainers/export?format=xlsx"))
    assert (trainer["姓名"], trainer["电话"]) == ("刘讲师", "13900000000")
    assert len(read_csv(await client.get("/api/trainers/export?q=SYB", headers=founder))) == 1
