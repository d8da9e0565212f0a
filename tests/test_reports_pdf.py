"""The PDFs through their routes, read back with pypdf: Chinese text, an embedded CJK font, the page count, and
no warning from WeasyPrint or fontTools (a font fallback, subsetting without HarfBuzz); the public check of a
certificate's code."""

import asyncio
import datetime
import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from incubator.incubatees.models import IncubateeStatus
from incubator.ratings.models import Rating, RatingRound, RatingStatus
from incubator.reports.certificates import ALPHABET, CODE_LENGTH, grouped
from incubator.reports.models import Certificate
from incubator.reports.pdf import WATCHED_LOGGERS, PdfRenderer
from tests.conftest import bearer, make_incubatee, page_login
from tests.rating_data import publish_with_adjustment, rating_url


def read_pdf(content: bytes) -> tuple[str, int, set[str]]:
    """(text, pages, names of the embedded fonts) of a PDF."""
    reader = PdfReader(io.BytesIO(content))
    fonts: set[str] = set()
    for page in reader.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            font = ref.get_object()
            for each in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = each.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    fonts.add(str(descriptor["/FontName"]))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), fonts


def font_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.split(".")[0] in WATCHED_LOGGERS]


def assert_chinese_pdf(response, park_name: str, pages: int, caplog: pytest.LogCaptureFixture) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text, count, fonts = read_pdf(response.content)
    assert park_name in text
    assert any("CJK" in name for name in fonts), fonts
    assert count == pages
    assert font_warnings(caplog) == []
    return text


async def make_rating(db, park, label: str, status: RatingStatus, stars: int, **values) -> Rating:
    """A rating of ``park`` in a period of its own (``label``, the year it names), arranged in the database."""
    year = int(label[:4])
    rating_round = await db.scalar(sa.select(RatingRound).where(RatingRound.label == label))
    if rating_round is None:
        rating_round = RatingRound(
            label=label,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
            rubric_version="puyang-2017",
        )
        db.add(rating_round)
        await db.flush()
    rating = Rating(
        park_id=park.id,
        round_id=rating_round.id,
        rubric_version="puyang-2017",
        status=status,
        metrics={},
        breakdown={},
        total=values.pop("total", 80),
        stars=stars,
        failed=stars == 0,
        funding=values.pop("funding", 200000),
        exit_decision=values.pop("exit_decision", "continue"),
        **values,
    )
    db.add(rating)
    await db.commit()
    return rating


async def test_the_renderer_reports_what_weasyprint_warns(caplog):
    """The workers' warnings reach the log, so that the tests below, finding none, mean it."""
    renderer = PdfRenderer(1)
    try:
        pdf = await renderer.render('<p style="no-such-property: 1">甲园区</p>')
    finally:
        renderer.close()
    assert pdf.startswith(b"%PDF")
    assert any("no-such-property" in message for message in font_warnings(caplog))


async def test_the_park_prints_its_rating_report(client, db, world, caplog):
    published = await publish_with_adjustment(client, db, world)
    await make_rating(db, world.park_a, "2016", RatingStatus.PUBLISHED, 2, total=72)
    await page_login(client, db, world.user("operator_a"))
    page = await client.get(f"/parks/{world.park_a.id}/ratings/{published['id']}")
    report_url = f"/parks/{world.park_a.id}/ratings/{published['id']}/report.pdf"
    assert report_url in page.text
    text = assert_chinese_pdf(await client.get(report_url), "甲园区", 4, caplog)
    for expected in ("星级评定报告", "孵化功能", "按佐证材料更正", "2016 年度评定", "第 1 页 / 共 4 页", "退出决定"):
        assert expected in text


async def test_a_report_of_another_parks_rating_is_not_found(client, db, world):
    rating = await make_rating(db, world.park_a, "2017", RatingStatus.PUBLISHED, 3)
    await page_login(client, db, world.user("bureau"))
    for document in ("report.pdf", "certificate.pdf"):
        response = await client.get(f"/parks/{world.park_b.id}/ratings/{rating.id}/{document}")
        assert response.status_code == 404


async def test_publication_issues_the_certificate_that_prints_on_one_page(client, db, world, caplog):
    rating = await make_rating(db, world.park_a, "2017", RatingStatus.APPROVED, 3)
    published = await client.post(
        rating_url(world, rating.id, "/publish"), json={"version": 1}, headers=await bearer(db, world, "bureau")
    )
    assert published.status_code == 201, published.text
    issued = await db.scalar(sa.select(Certificate).where(Certificate.rating_id == rating.id))
    assert len(issued.code) == CODE_LENGTH
    assert set(issued.code) <= set(ALPHABET)
    await page_login(client, db, world.user("bureau"))
    url = f"/parks/{world.park_a.id}/ratings/{rating.id}/certificate.pdf"
    assert url in (await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}")).text
    text = assert_chinese_pdf(await client.get(url), "甲园区", 1, caplog)
    assert grouped(issued.code) in text
    assert f"http://testserver.local/verify/{issued.code}" in text.replace("\n", "")
    again = await client.get(url)  # the same certificate, the same code
    assert grouped(issued.code) in read_pdf(again.content)[0]
    assert await db.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1


@pytest.mark.parametrize(("status", "stars"), [(RatingStatus.APPROVED, 3), (RatingStatus.PUBLISHED, 0)])
async def test_no_certificate_before_publication_or_without_stars(client, db, world, status, stars):
    rating = await make_rating(db, world.park_a, "2017", status, stars)
    await page_login(client, db, world.user("operator_a"))
    response = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}/certificate.pdf")
    assert response.status_code == 409
    assert "已公布" in response.text
    assert await db.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


async def _certify(client, db, world, rating: Rating) -> str:
    await page_login(client, db, world.user("bureau"))
    response = await client.get(f"/parks/{world.park_a.id}/ratings/{rating.id}/certificate.pdf")
    assert response.status_code == 200
    client.cookies.clear()  # the check is public
    return await db.scalar(sa.select(Certificate.code).where(Certificate.rating_id == rating.id))


async def test_anyone_checks_a_valid_certificate_and_sees_only_its_facts(client, db, world):
    rating = await make_rating(db, world.park_a, "2017", RatingStatus.PUBLISHED, 4, total=88.5)
    code = await _certify(client, db, world, rating)
    for typed in (code, grouped(code).lower()):
        page = await client.get(f"/verify/{typed}")
        assert page.status_code == 200
        assert "甲园区" in page.text
        assert "★★★★" in page.text
        assert "2017 年度评定" in page.text
        assert "有效" in page.text
    assert "88.5" not in page.text
    assert "200,000" not in page.text
    assert "继续保留" not in page.text


async def test_a_corrected_rating_supersedes_the_certificate(client, db, world):
    rating = await make_rating(db, world.park_a, "2017", RatingStatus.PUBLISHED, 3)
    code = await _certify(client, db, world, rating)
    rating.status = RatingStatus.SUPERSEDED
    await make_rating(db, world.park_a, "2017", RatingStatus.PUBLISHED, 2, revision=2)
    page = await client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "已被更正后的评定取代" in page.text


async def test_a_later_revocation_revokes_the_certificate(client, db, world):
    rating = await make_rating(db, world.park_a, "2016", RatingStatus.PUBLISHED, 1)
    code = await _certify(client, db, world, rating)
    await make_rating(db, world.park_a, "2017", RatingStatus.DRAFT, 0, exit_decision="revoke")
    assert "有效" in (await client.get(f"/verify/{code}")).text  # a draft decides nothing yet
    await make_rating(db, world.park_a, "2018", RatingStatus.PUBLISHED, 0, exit_decision="revoke")
    page = await client.get(f"/verify/{code}")
    assert page.status_code == 200
    assert "已撤销" in page.text


async def test_an_unknown_code_is_not_found(client, db, world):
    response = await client.get("/verify/ABCDEFGHJKMNPQRS")
    assert response.status_code == 404
    assert "甲园区" not in response.text


async def test_the_bureau_prints_the_city_bulletin(client, db, world, caplog):
    await make_rating(db, world.park_a, "2017", RatingStatus.PUBLISHED, 3, total=81)
    await make_rating(db, world.park_b, "2017", RatingStatus.PUBLISHED, 0, total=41, exit_decision="rectify")
    await page_login(client, db, world.user("bureau"))
    assert "/city/bulletin.pdf?period=2017" in (await client.get("/city?period=2017")).text
    text = assert_chinese_pdf(await client.get("/city/bulletin.pdf?period=2017"), "乙园区", 4, caplog)
    assert text.index("甲园区") < text.index("乙园区")  # ranked by score
    assert "限期6个月整改" in text
    assert "2017 年目标" in text
    assert (await client.get("/city/bulletin.pdf?period=1999")).status_code == 404


async def test_the_operator_prints_the_months_summary(client, db, world, caplog):
    admitted = await make_incubatee(db, world.park_a, "濮阳新到电商工作室")
    await make_incubatee(
        db, world.park_a, "清丰食品加工坊", status=IncubateeStatus.GRADUATED, left_on=datetime.date(2017, 3, 20)
    )
    elsewhere = await make_incubatee(db, world.park_b, "乙园区的企业")
    admitted.admitted_on = elsewhere.admitted_on = datetime.date(2017, 3, 6)
    await db.commit()
    await page_login(client, db, world.user("operator_a"))
    assert f"/parks/{world.park_a.id}/summary.pdf" in (await client.get(f"/parks/{world.park_a.id}/dashboard")).text
    response = await client.get(f"/parks/{world.park_a.id}/summary.pdf?month=2017-03")
    text = assert_chinese_pdf(response, "甲园区", 3, caplog)
    assert "濮阳新到电商工作室" in text
    assert "清丰食品加工坊" in text
    assert "2017-03" in text
    assert "乙园区的企业" not in text


@pytest.mark.parametrize("month", ["2017-13", "March"])
async def test_a_bad_month_is_refused_naming_it(client, db, world, month):
    await page_login(client, db, world.user("operator_a"))
    response = await client.get(f"/parks/{world.park_a.id}/summary.pdf?month={month}")
    assert response.status_code in (400, 422)
    assert "YYYY-MM" in response.text or "month" in response.text


async def test_the_batch_renders_a_period_into_a_folder(incubator, db, world, tmp_path):
    await make_rating(db, world.park_a, "2017", RatingStatus.PUBLISHED, 3)
    await make_rating(db, world.park_b, "2017", RatingStatus.DRAFT, 0)
    done = await asyncio.to_thread(incubator, "reports", "render", "--period", "2017", "--out", str(tmp_path / "all"))
    assert done.exit_code == 0, done.output
    assert "2 rating reports, 1 certificates, 1 bulletin" in done.output
    files = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert files == [
        "PARK-A-2017-certificate.pdf",
        "PARK-A-2017-report-r1.pdf",
        "PARK-B-2017-report-r1.pdf",
        "bulletin-2017.pdf",
    ]
    assert "乙园区" in read_pdf((tmp_path / "all" / "PARK-B-2017-report-r1.pdf").read_bytes())[0]
    one = await asyncio.to_thread(
        incubator, "reports", "render", "--period", "2017", "--park", "park-b", "--out", str(tmp_path / "one")
    )
    assert one.exit_code == 0, one.output
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["PARK-B-2017-report-r1.pdf"]
    for wrong in (["--period", "1999"], ["--period", "2017", "--park", "NOPE"]):
        refused = await asyncio.to_thread(incubator, "reports", "render", *wrong, "--out", str(tmp_path / "no"))
        assert refused.exit_code == 2
        assert not (tmp_path / "no").exists()
