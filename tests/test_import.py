"""Importing spreadsheets: incubatees with founders, units, a training's roll and the city's mentor pool, from
XLSX or CSV (UTF-8, UTF-8 with a BOM, GBK). Every row is checked before anything is written; a file with any
problem writes nothing and says where (row, column); the same file twice creates nothing twice."""

import datetime
import io
import zipfile
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from incubator.audit.models import AuditEntry
from incubator.exchange.layouts import ATTENDANCE, MENTORS, UNITS
from incubator.exchange.reading import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from incubator.incubatees.models import Founder, Incubatee, IncubateeStatus
from incubator.mentors.models import Mentor
from incubator.protection import PersonalData
from incubator.space.models import Building, Unit
from incubator.trainings.models import Attendance, Enrolment, Trainee
from tests.conftest import ID_NUMBER, bearer, csrf_token, make_enrolment, make_trainee, make_training, page_login
from tests.import_data import XLSX_MIME, credit_code, csv_file, firm, firms, header, id_number, xlsx
from tests.rating_data import EXE, PDF, PNG, office_file, plain_zip

TABLES = (Incubatee, Founder, Building, Unit, Mentor, Trainee, Enrolment, AuditEntry)


def _url(world, kind: str = "incubatees", park=None) -> str:
    return f"/api/parks/{(park or world.park_a).id}/imports/{kind}"


async def _import(client, db, world, content: bytes, *, name="在孵企业.xlsx", kind="incubatees", park=None, **form):
    return await client.post(
        _url(world, kind, park),
        files={"file": (name, content, "application/octet-stream")},
        data=form,
        headers=await bearer(db, world, "operator_a"),
    )


async def _counts(db, world) -> dict[str, int]:
    await bearer(db, world, "operator_a")  # issuing the caller's token writes the trail: done before counting
    return {t.__tablename__: await db.scalar(sa.select(sa.func.count()).select_from(t)) for t in TABLES}


async def _firms(db, world) -> dict[str, Incubatee]:
    rows = await db.scalars(
        sa.select(Incubatee).where(Incubatee.park_id == world.park_a.id).execution_options(populate_existing=True)
    )
    return {f.name: f for f in rows}


def _problems(response) -> list[tuple[int, str]]:
    assert response.status_code == 422, response.text
    return [(e["row"], e["column"]) for e in response.json()["errors"]]


# Good files


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("在孵企业.xlsx", lambda rows: xlsx(rows)),
        ("在孵企业.csv", lambda rows: csv_file(rows)),
        ("在孵企业-bom.csv", lambda rows: csv_file(rows, bom=True)),
        ("在孵企业-gbk.csv", lambda rows: csv_file(rows, encoding="gbk")),
    ],
)
async def test_a_good_file_in_each_format_creates_the_firms_and_founders(client, db, world, settings, name, content):
    rows = firm(1, founders=2) + firm(2, founders=0, admitted_on="") + firm(3)
    response = await _import(client, db, world, content(rows), name=name)
    assert response.status_code == 200, response.text
    assert response.json() == {"created": 3, "updated": 0, "unchanged": 0}
    found = await _firms(db, world)
    first = found["濮阳第1创业工坊"]
    assert (first.credit_code, first.kind, first.status) == (credit_code(1), "handicraft", IncubateeStatus.INCUBATING)
    assert (first.admitted_on, first.term_ends_on) == (datetime.date(2016, 6, 15), datetime.date(2019, 6, 14))
    assert found["濮阳第2创业工坊"].status == IncubateeStatus.APPLICANT
    founders = (await db.scalars(sa.select(Founder).where(Founder.incubatee_id == first.id))).all()
    assert sorted(f.name for f in founders) == ["创业者1-0", "创业者1-1"]
    founder = next(f for f in founders if f.name == "创业者1-1")
    assert (founder.target_group, founder.gender, founder.education) == (
        "returning_migrant_worker",
        "female",
        "senior_secondary",
    )
    assert PersonalData(settings.personal_data_key).open(founder.id_number_ciphertext) == id_number(11)
    assert founder.id_number_masked == id_number(11)[:3] + "*" * 11 + id_number(11)[-4:]


async def test_the_same_file_twice_creates_nothing_twice(client, db, world):
    content = xlsx(firms(5) + firm(6, founders=3))
    first = await _import(client, db, world, content)
    assert first.json() == {"created": 6, "updated": 0, "unchanged": 0}
    before = await _counts(db, world)
    again = await _import(client, db, world, content)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 6}
    assert await _counts(db, world) == before


async def test_cells_as_excel_keeps_them_are_read_as_a_form_sends_them(client, db, world):
    rows = firm(1, registered_on=datetime.date(2016, 5, 10), applied_on="2016/6/1", admitted_on="2016年6月15日")
    rows[0] |= {"founder_birth_year": 1985.0, "founder_phone": 13803930001, "industry": "'=草编"}
    response = await _import(client, db, world, xlsx(rows))
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0}, response.text
    made = (await _firms(db, world))["濮阳第1创业工坊"]
    assert (made.registered_on, made.applied_on, made.admitted_on) == (
        datetime.date(2016, 5, 10),
        datetime.date(2016, 6, 1),
        datetime.date(2016, 6, 15),
    )
    assert made.industry == "'=草编"  # an apostrophe guards a formula in a CSV only
    guarded = csv_file(firm(2, industry="'=草编"))
    assert (await _import(client, db, world, guarded, name="f.csv")).json()["created"] == 1
    assert (await _firms(db, world))["濮阳第2创业工坊"].industry == "=草编"


async def test_a_changed_file_updates_the_firms_it_names(client, db, world):
    await _import(client, db, world, xlsx(firms(3)))
    rows = firm(1, industry="草编工艺品") + firm(2) + firm(3, founders=2)
    response = await _import(client, db, world, csv_file(rows))
    assert response.json() == {"created": 0, "updated": 2, "unchanged": 1}
    found = await _firms(db, world)
    assert found["濮阳第1创业工坊"].industry == "草编工艺品"
    founders = await db.scalar(sa.select(sa.func.count()).where(Founder.incubatee_id == found["濮阳第3创业工坊"].id))
    assert founders == 2


async def test_a_firm_on_file_as_an_applicant_is_admitted_and_can_leave(client, db, world):
    await _import(client, db, world, xlsx(firm(1, admitted_on="")))
    response = await _import(client, db, world, xlsx(firm(1, left_on="2017-12-01", exit_reason="自愿退出")))
    assert response.json() == {"created": 0, "updated": 1, "unchanged": 0}
    left = (await _firms(db, world))["濮阳第1创业工坊"]
    assert (left.status, left.admitted_on, left.left_on) == (
        "exited",
        datetime.date(2016, 6, 15),
        datetime.date(2017, 12, 1),
    )
    changed = await _import(
        client, db, world, xlsx(firm(1, admitted_on="2016-07-01", left_on="2017-12-01", exit_reason="孵化期满"))
    )
    assert _problems(changed) == [(2, header("admitted_on")), (2, header("exit_reason"))]
    assert "自愿退出" in changed.json()["errors"][1]["message"]
    renamed = firm(1, name=world.incubatee_a.name)  # the file names park A's other firm, with firm 1's code
    assert _problems(await _import(client, db, world, xlsx(renamed))) == [(2, header("name"))]
    recoded = firm(1, credit_code=credit_code(99))  # found by its name: its code on file differs
    assert _problems(await _import(client, db, world, xlsx(recoded))) == [(2, header("credit_code"))]


async def test_a_masked_id_number_keeps_the_one_on_file(client, db, world):
    await _import(client, db, world, xlsx(firm(1)))
    masked = id_number(10)[:3] + "*" * 11 + id_number(10)[-4:]
    response = await _import(client, db, world, xlsx(firm(1, founder_id_number=masked)))
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 1}
    wrong = await _import(client, db, world, xlsx(firm(1, founder_id_number="410***********9999")))
    assert _problems(wrong) == [(2, header("founder_id_number"))]


async def test_the_import_is_in_the_audit_trail(client, db, world):
    await _import(client, db, world, xlsx(firm(1)))
    entries = (
        await db.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.actor_email == "operator.a@test.cn", AuditEntry.entity_type.in_(["incubatees", "founders"])
            )
        )
    ).all()
    assert sorted((e.entity_type, e.action, e.park_id) for e in entries) == [
        ("founders", "create", world.park_a.id),
        ("incubatees", "create", world.park_a.id),
    ]


# The administrator's onboarding (JOURNEYS.md)


async def test_row_57_with_a_bad_credit_code_imports_nothing_and_is_named(client, db, world):
    rows = firms(120)
    good = rows[55]["credit_code"]
    rows[55]["credit_code"] = good[:-1] + ("0" if good[-1] != "0" else "1")  # row 57: the header is row 1
    before = await _counts(db, world)
    refused = await _import(client, db, world, xlsx(rows))
    body = refused.json()
    assert refused.status_code == 422
    assert body["errors"] == [{"row": 57, "column": header("credit_code"), "message": "校验位不符：号码有误，请核对。"}]
    assert await _counts(db, world) == before
    rows[55]["credit_code"] = good
    fixed = xlsx(rows)
    assert (await _import(client, db, world, fixed)).json() == {"created": 120, "updated": 0, "unchanged": 0}
    assert (await _import(client, db, world, fixed)).json() == {"created": 0, "updated": 0, "unchanged": 120}
    assert len(await _firms(db, world)) == 121  # with the firm the park already had


# Bad rows: each is named, and nothing is written


async def test_every_bad_cell_of_every_row_is_reported(client, db, world):
    rows = firms(4)
    rows[0]["founder_id_number"] = "410928198501010000"  # bad check digit
    rows[1]["kind"] = "养殖"  # no such type
    rows[1]["registered_on"] = "2016-13-01"
    rows[2]["founder_phone"] = "电话"
    rows[2]["founder_birth_year"] = "八五年"
    rows[3]["name"] = ""
    before = await _counts(db, world)
    response = await _import(client, db, world, csv_file(rows))
    assert _problems(response) == [
        (2, header("founder_id_number")),
        (3, header("kind")),
        (3, header("registered_on")),
        (4, header("founder_phone")),
        (4, header("founder_birth_year")),
        (5, header("name")),
    ]
    messages = [e["message"] for e in response.json()["errors"]]
    assert messages[1] == "不是允许的选项。"
    assert messages[-1] == "此项为必填。"
    assert await _counts(db, world) == before


async def test_duplicates_in_the_file_are_problems(client, db, world):
    rows = firms(3)
    rows[1]["name"] = rows[0]["name"]  # two firms of one name
    rows[2]["founder_id_number"] = rows[0]["founder_id_number"]  # one person founding two firms
    twice = firm(4, founders=2)
    twice[1]["industry"] = "别的行业"  # the firm's columns differ between its rows
    response = await _import(client, db, world, xlsx(rows + twice))
    assert _problems(response) == [
        (3, header("name")),
        (4, header("founder_id_number")),
        (6, header("industry")),
    ]
    assert "第 2 行" in response.json()["errors"][0]["message"] or "row 2" in response.json()["errors"][0]["message"]


async def test_a_name_or_id_number_taken_in_the_park_is_refused(client, db, world):
    await _import(client, db, world, xlsx(firms(2)))
    rows = firm(1, name=world.incubatee_a.name) + firm(2, founder_id_number=ID_NUMBER)  # park A's founder_a
    response = await _import(client, db, world, xlsx(rows))
    assert _problems(response) == [(2, header("name")), (3, header("founder_id_number"))]
    assert response.json()["errors"][0]["message"] == "本园区已有同名企业。"


async def test_another_parks_firms_are_never_touched(client, db, world):
    await _import(client, db, world, xlsx(firm(1)))  # park A
    b_before = (await db.scalars(sa.select(Incubatee).where(Incubatee.park_id == world.park_b.id))).all()
    rows = firm(1, name=world.incubatee_b.name)
    response = await client.post(
        _url(world, park=world.park_b),
        files={"file": ("f.xlsx", xlsx(rows), XLSX_MIME)},
        headers=await bearer(db, world, "operator_b"),
    )
    assert response.status_code == 422  # park B's own firm has the name: the code is new to park B
    same_code = await client.post(
        _url(world, park=world.park_b),
        files={"file": ("f.xlsx", xlsx(firm(1, name="清丰新工坊")), XLSX_MIME)},
        headers=await bearer(db, world, "operator_b"),
    )
    assert same_code.json() == {"created": 1, "updated": 0, "unchanged": 0}
    a_firm = (await _firms(db, world))["濮阳第1创业工坊"]
    assert (a_firm.park_id, a_firm.name) == (world.park_a.id, "濮阳第1创业工坊")
    assert (
        len((await db.scalars(sa.select(Incubatee).where(Incubatee.park_id == world.park_b.id))).all())
        == len(b_before) + 1
    )
    other_park = await _import(client, db, world, xlsx(firm(5)), park=world.park_b)
    assert other_park.status_code == 404


# Bad files: refused whole, naming the field `file`


def _zip_bomb_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<not-a-workbook/>")
    return buffer.getvalue()


def _sheet_rewritten(change: Callable[[str], str]) -> bytes:
    """A workbook of one firm whose first sheet's XML is changed by ``change``."""
    good, buffer = zipfile.ZipFile(io.BytesIO(xlsx(firms(1)))), io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in good.infolist():
            data = good.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            archive.writestr(item, data)
    return buffer.getvalue()


ENTITIES = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
"""A billion of "lol"s from nine lines: the sheet that declares them is refused before any is expanded."""


@pytest.mark.parametrize(
    ("name", "content", "status", "says"),
    [
        ("空.xlsx", b"", 422, "空"),
        ("照片.xlsx", PNG, 422, "不是电子表格"),
        ("报告.csv", PDF, 422, "不是电子表格"),
        ("程序.xlsx", EXE, 422, "不是电子表格"),
        ("压缩包.xlsx", plain_zip(), 422, "不是电子表格"),
        ("文档.xlsx", office_file("docx"), 422, "不是电子表格"),
        ("坏表格.xlsx", _zip_bomb_like(), 422, "不是电子表格"),
        ("半张表.xlsx", _sheet_rewritten(lambda sheet: sheet[: len(sheet) // 2]), 422, "不是电子表格"),
        (
            "实体炸弹.xlsx",
            _sheet_rewritten(
                lambda sheet: (
                    f'<!DOCTYPE worksheet [<!ENTITY e0 "lol">{ENTITIES}]>'
                    + sheet.replace(f"<t>{header('name')}</t>", "<t>&e9;</t>")
                )
            ),
            422,
            "不是电子表格",
        ),
        ("旧格式.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, 422, ".xls"),
        ("乱码.csv", "名称,类型\n".encode("utf-16"), 422, "UTF-8"),
        ("只有表头.csv", csv_file([]), 422, "表头"),
        ("缺列.csv", csv_file(firms(1), keys=["name", "industry"]), 422, header("kind")),
        ("多列.csv", "企业名称,类型,颜色\n甲,科技型,红\n".encode(), 422, "颜色"),
        ("超大.csv", b"a" * (MAX_IMPORT_BYTES + 1), 413, "5 MB"),
        ("过大请求.csv", b"a" * (MAX_IMPORT_BYTES + 200_000), 413, "5 MB"),
    ],
)
async def test_a_bad_file_is_refused_whole_and_writes_nothing(client, db, world, name, content, status, says):
    before = await _counts(db, world)
    response = await _import(client, db, world, content, name=name)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["errors"][0]["field"] == "file"
    assert says in body["detail"], body["detail"]
    assert await _counts(db, world) == before


async def test_too_many_rows_are_refused(client, db, world):
    lines = [f"{header('name')},{header('kind')}"] + [f"企业{n},科技型" for n in range(MAX_IMPORT_ROWS + 1)]
    response = await _import(client, db, world, "\n".join(lines).encode(), name="太多.csv")
    assert response.status_code == 422
    assert str(MAX_IMPORT_ROWS) in response.json()["detail"]


async def test_a_value_without_a_header_is_refused(client, db, world):
    content = f"{header('name')},{header('kind')}\n甲工坊,科技型,多余\n".encode()
    response = await _import(client, db, world, content, name="多余.csv")
    assert response.status_code == 422
    assert "C" in response.json()["detail"]


async def test_an_unknown_kind_is_404(client, db, world):
    assert (await _import(client, db, world, xlsx(firms(1)), kind="leases")).status_code == 404


# Units


def _units(*rows: tuple[str, str, str, str]) -> list[dict[str, str]]:
    return [
        {"building": b, "code": c, "kind": k, "area_m2": a, "seats": "4", "monthly_rent": "800", "free_or_common": "否"}
        for b, c, k, a in rows
    ]


async def test_units_are_imported_with_their_buildings_once(client, db, world):
    content = xlsx(
        _units(
            ("1号楼", "A-101", "办公室", "48.5"),
            ("1号楼", "A-102", "办公室", "30"),
            ("2号楼", "B-1", "workshop", "200"),
        ),
        UNITS,
    )
    assert (await _import(client, db, world, content, kind="units")).json() == {
        "created": 3,
        "updated": 0,
        "unchanged": 0,
    }
    assert (await _import(client, db, world, content, kind="units")).json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
    }
    buildings = (await db.scalars(sa.select(Building.name).where(Building.park_id == world.park_a.id))).all()
    assert sorted(buildings) == ["1号楼", "2号楼"]
    unit = await db.scalar(sa.select(Unit).where(Unit.code == "A-101"))
    assert (str(unit.area_m2), unit.seats, unit.free_or_common) == ("48.50", 4, False)
    bigger = xlsx(_units(("1号楼", "A-101", "办公室", "50")), UNITS)
    assert (await _import(client, db, world, bigger, kind="units")).json() == {
        "created": 0,
        "updated": 1,
        "unchanged": 0,
    }
    moved = xlsx(_units(("2号楼", "A-101", "办公室", "50"), ("2号楼", "B-2", "办公室", "-3")), UNITS)
    response = await _import(client, db, world, moved, kind="units")
    assert _problems(response) == [(2, header("building", UNITS)), (3, header("area_m2", UNITS))]


# Mentors


async def test_the_bureau_imports_the_mentor_pool(client, db, world):
    rows = [
        {"name": "李建国", "organisation": "濮阳职业技术学院", "expertise": "电子商务、融资", "max_mentees": 4},
        {"name": world.mentor.name, "organisation": world.mentor.organisation, "bio": "二十年创业辅导经验"},
    ]
    response = await client.post(
        "/api/mentors/import",
        files={"file": ("导师.csv", csv_file(rows, MENTORS, bom=True), "text/csv")},
        headers=await bearer(db, world, "bureau"),
    )
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}, response.text
    added = await db.scalar(sa.select(Mentor).where(Mentor.name == "李建国"))
    assert (added.expertise, added.max_mentees) == (["电子商务", "融资"], 4)
    kept = await db.get(Mentor, world.mentor.id, populate_existing=True)
    assert (kept.bio, kept.expertise) == ("二十年创业辅导经验", ["电子商务", "融资"])
    refused = await client.post(
        "/api/mentors/import",
        files={"file": ("导师.csv", csv_file([{"name": "王", "max_mentees": "0"}], MENTORS), "text/csv")},
        headers=await bearer(db, world, "bureau"),
    )
    assert _problems(refused) == [(2, header("max_mentees", MENTORS))]


async def test_a_mentor_is_known_by_the_phone_first(client, db, world):
    """The phone tells a mentor from a namesake, and finds them though the file names another organisation;
    one phone is one mentor of the pool, whatever its spelling."""
    bureau = await bearer(db, world, "bureau")

    async def import_pool(*rows):
        files = {"file": ("导师.csv", csv_file(list(rows), MENTORS), "text/csv")}
        return await client.post("/api/mentors/import", files=files, headers=bureau)

    first = await import_pool(
        {"name": "张伟", "organisation": "濮阳职业技术学院", "phone": "139 0393 0001"},
        {"name": "张伟", "organisation": "濮阳职业技术学院", "phone": "13903930002"},
    )
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}, first.text
    moved = await import_pool({"name": "张伟", "organisation": "中原油田科技园", "phone": "+86 139-0393-0001"})
    assert moved.json() == {"created": 0, "updated": 0, "unchanged": 1}, moved.text
    phones = await db.scalars(sa.select(Mentor.phone).where(Mentor.name == "张伟").order_by(Mentor.phone))
    assert phones.all() == ["13903930001", "13903930002"]

    twice = await client.post(
        "/api/mentors",
        json={"name": "另一位", "phone": "13903930002"},
        headers=bureau,
    )
    assert (twice.status_code, twice.json()["errors"][0]["field"]) == (409, "phone")
    assert await db.scalar(sa.select(sa.func.count()).where(Mentor.name == "另一位")) == 0


# A training's roll


def _roll(*people: tuple[str, str, str]) -> bytes:
    rows = [{"name": n, "phone": p, "target_group": "退役军人", "attendance": a} for n, p, a in people]
    return xlsx(rows, ATTENDANCE)


async def test_a_trainings_roll_is_imported_by_phone(client, db, world):
    training = await make_training(db, world.park_a, capacity=3)
    known = await make_trainee(db, world.park_a, "13903930001", "李娟")
    await make_enrolment(db, training, known)
    content = _roll(("李娟", "139 0393 0001", "已参训"), ("张伟", "+86 13903930002", "已参训"))
    response = await _import(client, db, world, content, kind="attendance", training_id=str(training.id))
    assert response.json() == {"created": 1, "updated": 1, "unchanged": 0}, response.text
    roll = (
        await db.execute(
            sa.select(Trainee.phone, Enrolment.attendance)
            .join(Enrolment, Enrolment.trainee_id == Trainee.id)
            .where(Enrolment.training_id == training.id)
        )
    ).all()
    assert sorted(roll) == [("13903930001", Attendance.ATTENDED), ("13903930002", Attendance.ATTENDED)]
    again = await _import(client, db, world, content, kind="attendance", training_id=str(training.id))
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2}
    full = _roll(("王芳", "13903930003", "已报名"), ("赵强", "13903930004", "已报名"))
    assert _problems(await _import(client, db, world, full, kind="attendance", training_id=str(training.id))) == [
        (3, "")
    ]


async def test_a_roll_needs_a_training_of_the_park(client, db, world):
    content = _roll(("张伟", "13903930002", "已报名"))
    missing = await _import(client, db, world, content, kind="attendance")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "training_id", "message": "此项为必填。"}]
    elsewhere = await make_training(db, world.park_b)
    other = await _import(client, db, world, content, kind="attendance", training_id=str(elsewhere.id))
    assert other.status_code == 404


# Pages


async def test_the_page_shows_the_problems_and_hands_them_out_as_xlsx(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}/imports/incubatees")
    assert page.status_code == 200
    assert "template?format=xlsx" in page.text
    assert header("founder_id_number") in page.text
    rows = firms(3)
    rows[1]["credit_code"] = "91410900MA0000000X"
    csrf = await csrf_token(client)
    response = await client.post(
        f"/parks/{world.park_a.id}/imports/incubatees",
        files={"file": ("企业.xlsx", xlsx(rows), XLSX_MIME)},
        data={"_csrf_token": csrf},
    )
    assert response.status_code == 400
    assert "<td>3</td>" in response.text
    assert header("credit_code") in response.text
    problems = response.text.split('name="problems" value="')[1].split('"')[0].replace("&#34;", '"')
    report = await client.post(
        f"/parks/{world.park_a.id}/imports/incubatees/report", data={"problems": problems, "_csrf_token": csrf}
    )
    assert report.status_code == 200
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["行号", "列", "问题"],
        [3, header("credit_code"), "校验位不符：号码有误，请核对。"],
    ]
    done = await client.post(
        f"/parks/{world.park_a.id}/imports/incubatees",
        files={"file": ("企业.csv", csv_file(firms(3)), "text/csv")},
        data={"_csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    shown = await client.get(done.headers["location"])
    assert "3" in shown.text
    assert "新建" in shown.text


async def test_the_page_names_the_file_field_for_a_bad_file(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    response = await client.post(
        f"/parks/{world.park_a.id}/imports/units",
        files={"file": ("照片.png", PNG, "image/png")},
        data={"_csrf_token": await csrf_token(client)},
    )
    assert response.status_code == 422
    assert 'id="file-error"' in response.text


@pytest.mark.parametrize("kind", ["incubatees", "units", "attendance"])
async def test_each_template_explains_its_columns_and_imports_as_it_is(client, db, world, kind):
    await page_login(client, db, world.user("operator_a"))
    response = await client.get(f"/parks/{world.park_a.id}/imports/{kind}/template?format=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[1] == "说明"
    data, guide = workbook.worksheets
    assert len(list(data.iter_rows())) == 2
    assert [c.value for c in data[1]] == [g[0].value for g in guide.iter_rows(min_row=2)]
    csv_template = await client.get(f"/parks/{world.park_a.id}/imports/{kind}/template?format=csv")
    assert csv_template.content.startswith(b"\xef\xbb\xbf")
    form = {"training_id": str((await make_training(db, world.park_a)).id)} if kind == "attendance" else {}
    for content in (response.content, csv_template.content):
        imported = await _import(client, db, world, content, kind=kind, **form)
        assert imported.status_code == 200, imported.text


async def test_the_mentor_pool_template(client, db, world):
    await page_login(client, db, world.user("bureau"))
    response = await client.get("/mentors/import/template")
    assert load_workbook(io.BytesIO(response.content)).sheetnames[1] == "说明"
    assert (await client.get("/mentors/import")).status_code == 200


async def test_the_roll_page_offers_the_parks_trainings(client, db, world):
    mine = await make_training(db, world.park_a, title="电商创业培训第三期")
    await make_training(db, world.park_b, title="清丰县养殖培训")
    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}/imports/attendance?training_id={mine.id}")
    assert f'<option value="{mine.id}" selected>' in page.text
    assert "清丰县养殖培训" not in page.text
    response = await client.post(
        f"/parks/{world.park_a.id}/imports/attendance",
        files={"file": ("花名册.xlsx", _roll(("张伟", "13903930002", "已报名")), XLSX_MIME)},
        data={"_csrf_token": await csrf_token(client), "training_id": str(mine.id)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert f"training_id={mine.id}" in response.headers["location"]


# Round trip: what the export writes, the import reads back as the same records


def _firm_record(firm: Incubatee, founders: list[Founder], protect: PersonalData) -> tuple:
    people = sorted(
        (
            f.name,
            f.phone,
            f.target_group,
            f.gender,
            f.birth_year,
            f.education,
            protect.open(f.id_number_ciphertext) if f.id_number_ciphertext else None,
        )
        for f in founders
    )
    fields = ("name", "credit_code", "registered_on", "industry", "kind", "status", "applied_on", "admitted_on")
    fields += ("term_ends_on", "left_on", "exit_reason", "exit_note")
    return (*(getattr(firm, name) for name in fields), tuple(people))


async def _park_records(db, park, settings) -> set[tuple]:
    protect = PersonalData(settings.personal_data_key)
    firms = (
        await db.scalars(
            sa.select(Incubatee).where(Incubatee.park_id == park.id).execution_options(populate_existing=True)
        )
    ).all()
    founders = (await db.scalars(sa.select(Founder).where(Founder.park_id == park.id))).all()
    return {_firm_record(f, [p for p in founders if p.incubatee_id == f.id], protect) for f in firms}


async def _export(client, db, world, path: str, file_format: str, actor: str = "operator_a", **query) -> bytes:
    response = await client.get(path, params={"format": file_format, **query}, headers=await bearer(db, world, actor))
    assert response.status_code == 200, response.text
    return response.content


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
async def test_exported_firms_import_as_the_same_records(client, db, world, settings, file_format):
    rows = (
        firm(1, founders=2)
        + firm(2, founders=0, admitted_on="", credit_code="")
        + firm(3, left_on="2017-11-30", exit_reason="达到毕业条件", exit_note="年营收超过三百万元")
    )
    rows[1] |= {"founder_gender": "", "founder_education": "", "founder_birth_year": "", "founder_phone": ""}
    await _import(client, db, world, xlsx(rows))
    exported = await _export(
        client, db, world, f"/api/parks/{world.park_a.id}/incubatees/export", file_format, id_numbers="full"
    )
    into_b = await client.post(
        _url(world, park=world.park_b),
        files={"file": (f"导出.{file_format}", exported, "application/octet-stream")},
        headers=await bearer(db, world, "operator_b"),
    )
    assert into_b.json() == {"created": 4, "updated": 0, "unchanged": 0}, into_b.text
    assert await _park_records(db, world.park_b, settings) - {
        await _b_firm(db, world, settings)
    } == await _park_records(db, world.park_a, settings)
    back = await _import(client, db, world, exported, name=f"导出.{file_format}")
    assert back.json() == {"created": 0, "updated": 0, "unchanged": 4}
    masked = await _export(client, db, world, f"/api/parks/{world.park_a.id}/incubatees/export", file_format)
    assert (await _import(client, db, world, masked, name=f"导出.{file_format}")).json()["unchanged"] == 4


async def _b_firm(db, world, settings) -> tuple:
    """Park B's own firm, there before the import."""
    return next(r for r in await _park_records(db, world.park_b, settings) if r[0] == world.incubatee_b.name)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
async def test_exported_units_import_as_the_same_records(client, db, world, file_format):
    units = _units(("1号楼", "A-101", "办公室", "48.5"), ("2号楼", "B-1", "公共区域", "300"))
    units[1]["free_or_common"] = "是"
    assert (await _import(client, db, world, xlsx(units, UNITS), kind="units")).json()["created"] == 2
    exported = await _export(client, db, world, f"/api/parks/{world.park_a.id}/units/export", file_format)
    into_b = await client.post(
        _url(world, "units", world.park_b),
        files={"file": (f"房源.{file_format}", exported, "application/octet-stream")},
        headers=await bearer(db, world, "operator_b"),
    )
    assert into_b.json() == {"created": 2, "updated": 0, "unchanged": 0}, into_b.text

    async def units_of(park) -> set[tuple]:
        rows = await db.execute(
            sa.select(
                Building.name, Unit.code, Unit.kind, Unit.area_m2, Unit.seats, Unit.monthly_rent, Unit.free_or_common
            )
            .join(Building, Building.id == Unit.building_id)
            .where(Unit.park_id == park.id)
        )
        return set(rows.all())

    assert await units_of(world.park_b) == await units_of(world.park_a)
    back = await _import(client, db, world, exported, name=f"房源.{file_format}", kind="units")
    assert back.json() == {"created": 0, "updated": 0, "unchanged": 2}


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
async def test_the_exported_pool_and_roll_import_unchanged(client, db, world, file_format):
    pool = await _export(client, db, world, "/api/mentors/export", file_format, actor="bureau")
    response = await client.post(
        "/api/mentors/import",
        files={"file": (f"导师.{file_format}", pool, "application/octet-stream")},
        headers=await bearer(db, world, "bureau"),
    )
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 1}, response.text
    training = await make_training(db, world.park_a)
    await make_enrolment(db, training, await make_trainee(db, world.park_a, "13903930001"), attendance="attended")
    path = f"/api/parks/{world.park_a.id}/trainings/{training.id}/enrolments/export"
    roll = await _export(client, db, world, path, file_format)
    again = await _import(
        client, db, world, roll, name=f"花名册.{file_format}", kind="attendance", training_id=str(training.id)
    )
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1}, again.text
    other = await make_training(db, world.park_a, title="第二期")
    copied = await _import(
        client, db, world, roll, name=f"花名册.{file_format}", kind="attendance", training_id=str(other.id)
    )
    assert copied.json() == {"created": 1, "updated": 0, "unchanged": 0}


async def test_the_import_pages_are_linked_for_those_who_may_import(client, db, world):
    await page_login(client, db, world.user("operator_a"))
    for page in ("", "/incubatees", "/space"):
        assert f"/parks/{world.park_a.id}/imports/" in (await client.get(f"/parks/{world.park_a.id}{page}")).text
    await page_login(client, db, world.user("bureau"))
    assert "/imports/" not in (await client.get(f"/parks/{world.park_a.id}/incubatees")).text
    assert 'href="/mentors/import"' in (await client.get("/mentors")).text
