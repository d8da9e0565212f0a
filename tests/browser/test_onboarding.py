"""The administrator onboarding a park (JOURNEYS.md), walked in headless Chromium against ``incubator run``:
the park and its operator's account made on the pages, then 120 firms imported from the park's old
spreadsheet — refused whole for row 57's mistyped credit code, named by row and column, then imported once
fixed, and a second import of the same file creates nothing."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.helpers import LiveApp, log_in, shoot
from tests.import_data import firms, header, xlsx

PARK, CODE, OPERATOR = "南乐县返乡创业孵化园", "PY-NL-02", "nanle.operator@test.cn"
OPERATOR_PASSWORD = "nanle-operator-2018"


def _spreadsheet(bad_row_57: bool) -> dict[str, object]:
    rows = firms(120)
    if bad_row_57:
        good = rows[55]["credit_code"]  # row 57 of the sheet: the header is row 1
        rows[55]["credit_code"] = good[:-1] + ("0" if good[-1] != "0" else "1")
    return {"name": "南乐园区在孵企业.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(rows)}


def _import(page: Page, file: dict[str, object]) -> None:
    page.get_by_label("表格文件").set_input_files(file)
    page.get_by_role("button", name="导入", exact=True).click()


def test_admin_onboards_a_park(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    journey = "admin"
    admin = new_page()
    log_in(admin, live_app.email("admin"))

    # 1. The park, then its operator's account.
    admin.goto("/parks")
    admin.get_by_role("button", name="新建园区").click()
    admin.get_by_label("名称").fill(PARK)
    admin.get_by_label("编码").fill(CODE)
    admin.get_by_label("类型").select_option(index=1)
    admin.get_by_label("级别").select_option(index=1)
    admin.get_by_label("县区").fill("南乐县")
    admin.get_by_role("button", name="保存").click()
    expect(admin.get_by_role("heading", name=PARK)).to_be_visible()
    park_url = admin.url
    shoot(admin, journey, "1-park-created")

    admin.get_by_role("link", name="账号管理").click()
    admin.get_by_role("button", name="新建账号").click()
    admin.get_by_label("邮箱").fill(OPERATOR)
    admin.get_by_label("姓名").fill("南乐园区运营")
    admin.get_by_label("密码").fill(OPERATOR_PASSWORD)
    park_choice = admin.locator("#park_id")  # its label holds the chosen option's text too
    park_choice.select_option(value=park_choice.locator("option", has_text=PARK).get_attribute("value"))
    admin.locator("#park_role").select_option(label="园区运营人员")
    admin.get_by_role("button", name="保存").click()
    expect(admin.locator("main")).to_contain_text(OPERATOR)
    shoot(admin, journey, "1-operator-created")

    # 2. The old spreadsheet: row 57's credit code is mistyped, so nothing is imported and the row is named.
    admin.goto(park_url)
    admin.get_by_role("button", name="从表格导入").click()
    _import(admin, _spreadsheet(bad_row_57=True))
    problems = admin.locator("#problems")
    expect(problems).to_be_visible()
    expect(problems.get_by_role("row").nth(1)).to_contain_text("57")
    expect(problems.get_by_role("row").nth(1)).to_contain_text(header("credit_code"))
    expect(problems.get_by_role("row")).to_have_count(2)  # the header row and row 57's problem
    shoot(admin, journey, "2-row-57-refused")
    admin.goto(park_url + "/incubatees")
    expect(admin.locator("main")).not_to_contain_text("创业工坊")  # none of the file's firms

    # Fixed, the file imports its 120 firms; the same file again creates nothing.
    admin.goto(park_url + "/imports/incubatees")
    _import(admin, _spreadsheet(bad_row_57=False))
    expect(admin.get_by_role("status")).to_contain_text("新建 120 条")
    _import(admin, _spreadsheet(bad_row_57=False))
    expect(admin.get_by_role("status")).to_contain_text("新建 0 条，更新 0 条，未变 120 条")
    shoot(admin, journey, "2-imported-once")

    # The new operator logs in to the park and finds its 120 firms.
    operator = new_page()
    log_in(operator, OPERATOR, OPERATOR_PASSWORD)
    operator.goto(park_url + "/incubatees")
    expect(operator.locator(".pager")).to_contain_text("120")
    expect(operator.locator("main")).to_contain_text("创业工坊")
    shoot(operator, journey, "3-operator-sees-the-firms")
