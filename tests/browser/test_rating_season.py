"""The bureau reviewer's rating season (JOURNEYS.md), walked in headless Chromium against ``incubator run``:
parks submit their 2017 drafts with evidence; the reviewer works the queue, drills a value down to its
rows, adjusts one with a reason, returns one park, approves and publishes another, and reads the city
dashboard's exit decisions."""

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from incubator.demo.parks import NAMED_PARKS
from tests.browser.helpers import LiveApp, log_in, shoot
from tests.rating_data import PDF

PARK_NAMES = {park.code: park.name for park in NAMED_PARKS}
MODEL_PARK, HUALONG = "PY-KFQ-01", "PY-HL-01"  # the five-star national park; a three-star one


def _open_draft(page: Page, email: str) -> None:
    """An operator goes from the park home to the park's 2017 rating."""
    log_in(page, email)
    page.get_by_role("button", name="星级评定").click()
    page.get_by_role("row", name=re.compile("^2017 年度评定")).get_by_role("link", name="查看评定").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("分")


def _submit(page: Page, comment: str) -> None:
    page.get_by_label("给审核部门的说明").fill(comment)
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("hgroup")).to_contain_text("园区已提交")


def _open_from_queue(page: Page, park_code: str) -> None:
    page.goto("/ratings")
    page.get_by_label("状态").select_option(label="园区已提交")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=PARK_NAMES[park_code]).click()


def test_bureau_rating_season(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    journey = "bureau"
    # The model park attaches evidence for its jobs and submits; Hualong submits too.
    operator = new_page()
    _open_draft(operator, live_app.email("operator", MODEL_PARK))
    expect(operator.locator("hgroup h2")).to_contain_text("★★★★★")
    operator.get_by_label("选择文件").set_input_files(
        {"name": "2017年就业台账.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    operator.get_by_label("对应指标").select_option(value="jobs_per_incubatee")
    operator.get_by_role("button", name="上传").click()
    expect(operator.locator("#evidence")).to_contain_text("2017年就业台账.pdf")
    _submit(operator, "已核对全年台账，佐证材料见附件。")
    shoot(operator, journey, "1-park-submitted")
    hualong = new_page()
    _open_draft(hualong, live_app.email("operator", HUALONG))
    _submit(hualong, "请审核。")

    # The reviewer works the queue: the model park first.
    bureau = new_page()
    log_in(bureau, live_app.email("bureau"))
    bureau.get_by_role("link", name="星级评定").first.click()
    expect(bureau.get_by_role("heading", name="审核队列")).to_be_visible()
    _open_from_queue(bureau, MODEL_PARK)
    expect(bureau.locator("#evidence")).to_contain_text("2017年就业台账.pdf")
    bureau.get_by_role("button", name="开始审核").click()
    expect(bureau.locator("hgroup")).to_contain_text("审核中")

    # Jobs per incubatee, down to the firms' reports behind it.
    jobs_row = bureau.get_by_role("row", name=re.compile("在孵企业户均带动就业人数"))
    jobs_row.get_by_role("link").first.click()
    expect(bureau.get_by_role("heading", level=2)).to_contain_text("在孵企业户均带动就业人数")
    expect(bureau.locator("table tbody tr").first).to_be_visible()
    shoot(bureau, journey, "2-drill-down")
    bureau.go_back()

    # A survival figure the evidence does not bear out: adjusted with a reason, the original kept.
    adjusting = bureau.locator("details", has_text="调整指标值")
    adjusting.get_by_text("调整指标值").click()
    adjusting.get_by_role("combobox").select_option(value="survival_rate")
    adjusting.get_by_label("数值").fill("88")
    adjusting.get_by_label("理由").fill("跟踪回访记录显示两家企业已注销，按佐证更正。")
    adjusting.get_by_role("button", name="调整", exact=True).click()
    adjustments = bureau.locator("article", has=bureau.locator("header", has_text="调整记录"))
    expect(adjustments).to_contain_text(re.compile(r"新创企业成活率.*: [\d.]+ → 88"))
    expect(adjustments).to_contain_text("跟踪回访记录显示两家企业已注销")
    shoot(bureau, journey, "3-adjusted")
    bureau.get_by_role("button", name="核准").click()
    expect(bureau.locator("hgroup")).to_contain_text("已核准")
    bureau.get_by_role("button", name="公布").click()
    expect(bureau.locator("hgroup")).to_contain_text("已公布")
    expect(bureau.get_by_text("已公布的评定不可更改")).to_be_visible()

    # Hualong goes back with reasons, which its operator reads.
    _open_from_queue(bureau, HUALONG)
    returning = bureau.locator("details", has_text="退回园区")
    returning.get_by_text("退回园区").click()
    returning.get_by_label("理由").fill("请补充培训学员创业登记的佐证。")
    returning.get_by_role("button", name="退回", exact=True).click()
    expect(bureau.locator("hgroup")).to_contain_text("已退回")
    hualong.reload()
    expect(hualong.get_by_text("请补充培训学员创业登记的佐证。")).to_be_visible()

    # The city dashboard: the published five stars, and parks to rectify and to revoke.
    bureau.goto("/city")
    expect(bureau.get_by_role("heading", name="全市数据看板")).to_be_visible()
    expect(bureau.get_by_text("撤销认定").first).to_be_visible()
    expect(bureau.get_by_text("限期6个月整改").first).to_be_visible()
    shoot(bureau, journey, "4-city")
