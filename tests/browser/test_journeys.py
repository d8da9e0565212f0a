"""The journeys of /work/shared/JOURNEYS.md, walked in headless Chromium against ``incubator run``.

Each step clicks and types as the person would, checks the Chinese the person reads, and keeps a
screenshot in ``var/screenshots/<journey>-<step>.png``.
"""

import re
import time
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from playwright.sync_api import Locator, Page, expect

from incubator.clock import today
from incubator.demo.parks import NAMED_PARKS
from tests.browser.helpers import LiveApp, log_in, scroll_overflow, shoot

# What the journeys take from the demo city (`incubator demo load`).
PARK_NAMES = {park.code: park.name for park in NAMED_PARKS}
HUALONG, QINGFENG = "PY-HL-01", "PY-QF-01"
HUALONG_FIRM = "龙都电商服务有限公司"  # the mentor's mentee in Hualong, whose founder has the founder login
QINGFENG_FIRM = "清丰食用菌种植合作社"  # the mentor's mentee in Qingfeng
MENTOR_NAME = "王导师"  # the demo mentor: e-commerce, financing, marketing
OTHER_MENTOR = "刘导师"  # in the pool, without e-commerce

# The operator's new firm: a returning migrant worker's willow-weaving workshop, not registered yet.
WORKSHOP = "清丰巧手柳编工坊"
WORKSHOP_FOUNDER = "张桂兰"
FOUNDER_ID_NUMBER = "410928198503120046"
CREDIT_CODE = "91410900MA44L7XN26"
MISTYPED_CREDIT_CODE = "91410900MA44L7XN27"


def _article(page: Page, heading: str) -> Locator:
    """The card (``<article>``) whose header's title is ``heading``."""
    title = page.locator("header > strong", has_text=re.compile(rf"^\s*{re.escape(heading)}\s*$"))
    return page.locator("article").filter(has=title)


def _log_session(page: Page, firm: str, topics: str, follow_ups: str = "") -> None:
    """A mentor logs a 60-minute session from "my mentees" and submits it."""
    page.goto("/my/mentees")
    _article(page, firm).get_by_role("button", name="登记辅导").click()
    expect(page.get_by_label("在孵企业")).to_have_value(re.compile(".+"))  # the firm picked on the card
    page.get_by_label("时长（分钟）").fill("60")
    page.get_by_label("辅导主题").fill(topics)
    if follow_ups:
        page.get_by_label("后续行动").fill(follow_ups)
    page.get_by_role("button", name="保存并提交").click()
    expect(page).to_have_url(re.compile(r"/my/sessions$"))


def test_operator_monday_morning(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    """In the Qingfeng returning-home park, whose operator keeps two parks. (Hualong's demo firms
    already hold the ID number and the credit code this journey types.)"""
    journey = "operator"
    # Arranged through the mentor's own pages: two sessions waiting in the Qingfeng park.
    mentor = new_page()
    log_in(mentor, live_app.email("mentor"))
    _log_session(mentor, QINGFENG_FIRM, "菌棚扩建的融资方案", "准备担保贷款材料")
    _log_session(mentor, QINGFENG_FIRM, "线上销售渠道")

    page = new_page()
    day = today()

    # 1. Log in; the park's home shows what needs attention.
    log_in(page, live_app.email("operator", QINGFENG))
    expect(page.get_by_role("heading", name="我的园区")).to_be_visible()  # this operator keeps two parks
    shoot(page, journey, "1-my-parks")
    page.get_by_role("link", name=PARK_NAMES[QINGFENG]).first.click()
    expect(page.get_by_role("heading", name=PARK_NAMES[QINGFENG])).to_be_visible()
    attention = _article(page, "待办事项")
    expect(attention).to_contain_text("待确认的导师辅导记录")
    expect(attention).to_contain_text("本月到期的租约")
    expect(attention).to_contain_text("孵化期已满仍在孵的企业")
    waiting = attention.locator("li", has_text="待确认的导师辅导记录").locator("strong")
    assert int(waiting.inner_text()) >= 2
    shoot(page, journey, "1-park-home")

    # 2. Admit the workshop, not registered yet, and add its founder.
    page.get_by_role("button", name="在孵企业").click()
    page.get_by_role("button", name="登记在孵企业").click()
    page.get_by_label("名称").fill(WORKSHOP)
    page.get_by_label("类型").select_option(label="传统手工艺")
    page.get_by_label("行业").fill("柳编工艺品")
    page.get_by_label("入孵日期").fill(day.isoformat())
    shoot(page, journey, "2-register")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=WORKSHOP)).to_be_visible()
    firm = _article(page, "企业信息")
    expect(firm).to_contain_text("尚未注册")
    expect(page.locator("hgroup")).to_contain_text("在孵")

    founders = _article(page, "创业者")
    founders.get_by_text("添加创业者").click()
    founders.get_by_label("姓名").fill(WORKSHOP_FOUNDER)
    founders.get_by_label("人员类别").select_option(label="返乡农民工")
    founders.get_by_label("身份证号").fill(FOUNDER_ID_NUMBER)
    founders.get_by_role("button", name="添加").click()
    row = _article(page, "创业者").locator("tr", has_text=WORKSHOP_FOUNDER)
    expect(row).to_contain_text("返乡农民工")
    expect(row).not_to_contain_text(FOUNDER_ID_NUMBER)  # shown masked
    expect(row).to_contain_text(FOUNDER_ID_NUMBER[-4:])
    shoot(page, journey, "2-admitted")

    # 3. A unit with a lease and six months of free rent.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="园区").click()
    page.get_by_role("button", name="场地").click()
    building = _article(page, "添加楼栋")
    building.get_by_label("名称").fill("一号标准化厂房")
    building.get_by_role("button", name="添加").click()
    unit = _article(page, "添加房源")
    unit.get_by_label("楼栋").select_option(label="一号标准化厂房")
    unit.get_by_label("编码").fill("A-101")
    unit.get_by_label("类型").select_option(label="车间")
    unit.get_by_label("面积（平方米）").fill("80")
    unit.get_by_label("工位数").fill("6")
    unit.get_by_label("月租金（元）").fill("800")
    unit.get_by_role("button", name="添加").click()
    _article(page, "房源").get_by_role("link", name="A-101").click()
    expect(page.get_by_text("该房源尚未出租过。")).to_be_visible()
    rent_free_until = day + relativedelta(months=6, days=-1)
    page.get_by_label("在孵企业").select_option(label=WORKSHOP)
    page.get_by_label("开始日期").fill(day.isoformat())
    page.get_by_label("结束日期（含当日）").fill((day + relativedelta(years=2, days=-1)).isoformat())
    page.get_by_label("免租截止日期").fill(rent_free_until.isoformat())
    page.get_by_role("button", name="登记租约").click()
    lease = _article(page, "租约").locator("tbody tr", has_text=WORKSHOP)
    expect(lease).to_contain_text(rent_free_until.isoformat())
    expect(lease).to_contain_text("800")
    shoot(page, journey, "3-lease")
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="场地").click()
    expect(_article(page, "房源").locator("tr", has_text="A-101")).to_contain_text(WORKSHOP)
    shoot(page, journey, "3-space")

    # 4. A mentor from the city pool, filtered by expertise.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="园区").click()
    page.get_by_role("button", name="在孵企业").click()
    page.get_by_role("searchbox", name="搜索名称、信用代码或行业").fill("柳编")  # a park of a hundred firms
    page.keyboard.press("Enter")
    page.get_by_role("link", name=WORKSHOP).click()
    mentors = _article(page, "创业导师")
    mentors.get_by_text("从全市导师库分配导师").click()
    mentors.get_by_placeholder("擅长领域、姓名或单位").fill("电子商务")
    mentors.get_by_role("button", name="筛选").click()
    mentors = _article(page, "创业导师")
    choice = mentors.get_by_label("创业导师")
    expect(choice.locator("option", has_text=MENTOR_NAME)).to_have_count(1)
    expect(choice.locator("option", has_text=OTHER_MENTOR)).to_have_count(0)
    choice.select_option(label=next(o for o in choice.locator("option").all_inner_texts() if MENTOR_NAME in o))
    shoot(page, journey, "4-assign-mentor")
    mentors.get_by_role("button", name="分配").click()
    expect(_article(page, "创业导师").locator("tbody")).to_contain_text(MENTOR_NAME)
    shoot(page, journey, "4-mentor-assigned")

    # 5. The credit code arrives: a mistyped one is refused with the reason, the right one kept.
    _article(page, "企业信息").get_by_role("link", name="编辑").click()
    page.get_by_label("统一社会信用代码").fill(MISTYPED_CREDIT_CODE)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("校验位不符：号码有误，请核对。")).to_be_visible()
    expect(page.get_by_label("统一社会信用代码")).to_have_attribute("aria-invalid", "true")
    shoot(page, journey, "5-credit-code-refused")
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_role("button", name="保存").click()
    expect(_article(page, "企业信息")).to_contain_text(CREDIT_CODE)
    shoot(page, journey, "5-credit-code")

    # 6. Confirm one session; return the other to the mentor, asking for notes.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="园区").click()
    _article(page, "待办事项").get_by_role("link", name="待确认的导师辅导记录").click()
    queue = page.locator("article", has_text=QINGFENG_FIRM)
    financing = queue.filter(has_text="菌棚扩建的融资方案")
    sales = queue.filter(has_text="线上销售渠道")
    expect(financing).to_contain_text("已提交")
    expect(financing).to_contain_text("准备担保贷款材料")
    shoot(page, journey, "6-sessions-waiting")
    financing.get_by_role("button", name="确认").click()
    expect(page.locator("article", has_text="菌棚扩建的融资方案")).to_have_count(0)
    sales.get_by_role("button", name="退回导师").click()  # without a reason: refused
    expect(sales.get_by_label("退回原因")).to_have_attribute("aria-invalid", "true")
    reason = "请补充辅导记录：店铺现状和下一步计划"
    sales.get_by_label("退回原因").fill(reason)
    sales.get_by_role("button", name="退回导师").click()
    expect(page.locator("article", has_text="线上销售渠道")).to_have_count(0)
    page.get_by_label("状态").select_option(label="已确认")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("article", has_text="菌棚扩建的融资方案")).to_contain_text("已确认")
    shoot(page, journey, "6-sessions-confirmed")

    # The mentor sees why the session came back.
    mentor.goto("/my/sessions")
    returned = mentor.locator("article", has_text="线上销售渠道")
    expect(returned).to_contain_text("已退回")
    expect(returned).to_contain_text(reason)
    shoot(mentor, journey, "6-mentor-sees-return")


def test_mentor_logs_a_session_on_a_phone(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    journey = "mentor"
    page = new_page(phone=True)
    log_in(page, live_app.email("mentor"))
    expect(page.get_by_role("heading", name="我的辅导对象")).to_be_visible()
    shoot(page, journey, "1-mentees")

    started = time.perf_counter()  # on "my mentees", where the login lands
    _article(page, HUALONG_FIRM).get_by_role("button", name="登记辅导").click()
    expect(page.get_by_label("在孵企业")).to_have_value(re.compile(".+"))
    page.get_by_label("时长（分钟）").fill("60")
    page.get_by_label("辅导主题").fill("融资方案")
    page.get_by_label("后续行动").fill("下周一前整理近半年流水，申请创业担保贷款")
    paused = time.perf_counter()
    shoot(page, journey, "2-log-session")
    started += time.perf_counter() - paused  # the screenshot is ours, not the mentor's time
    page.get_by_role("button", name="保存并提交").click()
    logged = page.locator("article", has_text=HUALONG_FIRM).filter(has_text="融资方案").first
    expect(logged).to_contain_text("已提交")
    expect(logged).to_contain_text("60 分钟")
    elapsed = time.perf_counter() - started
    print(f"mentor journey: my mentees to a submitted session in {elapsed:.2f} s of app and browser time")
    shoot(page, journey, "3-submitted")

    page.get_by_role("link", name="我的辅导时长").click()
    expect(page.get_by_role("heading", name=f"{today().year} 年辅导时长")).to_be_visible()
    hualong = page.locator("tr", has_text=PARK_NAMES[HUALONG])
    expect(hualong).to_be_visible()
    assert int(hualong.locator("td").nth(2).inner_text()) >= 60
    shoot(page, journey, "4-hours")


def test_founder_files_the_quarterly_report_requests_a_service_and_rates_one(
    new_page: Callable[..., Page], live_app: LiveApp
) -> None:
    """JOURNEYS.md, the founder in the portal, on a phone."""
    journey = "founder"
    page = new_page(phone=True)
    log_in(page, live_app.email("founder", HUALONG))
    expect(page).to_have_url(re.compile(r"/parks/[0-9a-f-]{36}/portal$"))
    expect(page.get_by_role("heading", name=HUALONG_FIRM)).to_be_visible()
    expect(page.get_by_text("待办事项")).to_have_count(0)  # the operator's worklist is not theirs
    shoot(page, journey, "1-portal")

    # 1. The quarterly report: employees 6, new jobs 2, revenue, a guaranteed loan of 100,000 yuan.
    to_file = _article(page, "待报送报表")
    to_file.locator("li", has_text="2017-10-01").get_by_role("button", name="报送").click()
    expect(page.get_by_label("报送期")).to_have_value("2017-10-01")
    page.get_by_label("从业人数").fill("6")
    page.get_by_label("新增就业").fill("2")
    page.get_by_label("营业收入（元）").fill("180000")
    page.get_by_label("纳税额（元）").fill("5400")
    page.get_by_label("创业担保贷款（元）").fill("100000")
    page.get_by_label("贷款银行").fill("濮阳农商银行")
    shoot(page, journey, "2-report")
    page.get_by_role("button", name="报送报表").click()
    expect(page).to_have_url(re.compile(r"/portal$"))
    filed = page.locator("#reports tr", has_text="2017-10-01")
    expect(filed).to_contain_text("按时报送")
    expect(filed).to_contain_text("6")

    # 2. Help with a trademark application; later, a 4 of 5 for a service the park delivered.
    page.get_by_role("link", name="申请服务").click()
    page.get_by_label("服务项目").select_option(label="商标与专利代理")
    page.get_by_label("需求说明").fill("为“龙都优选”品牌申请注册商标")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("article", has_text="龙都优选")).to_contain_text("商标与专利代理")
    shoot(page, journey, "3-service-request")
    page.get_by_role("link", name="已获服务").click()
    delivered = page.locator("article", has_text="代办营业执照变更")
    delivered.get_by_text("4", exact=True).click()
    delivered.get_by_role("button", name="提交评价").click()
    expect(page.locator("article", has_text="代办营业执照变更")).to_contain_text("4")
    shoot(page, journey, "4-rating")
    assert scroll_overflow(page) <= 0


def test_language_switches_to_english_and_back(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    page = new_page(phone=True)
    log_in(page, live_app.email("mentor"))
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="My mentees")).to_be_visible()
    expect(page.get_by_role("button", name="Log a session").first).to_be_visible()
    shoot(page, "language", "1-english")
    page.get_by_role("link", name="简体中文").click()
    expect(page.get_by_role("heading", name="我的辅导对象")).to_be_visible()
    shoot(page, "language", "2-chinese")


def _overflowing(page: Page, journey: str, paths: dict[str, str]) -> dict[str, int]:
    """Each page that is wider than the phone, with the pixels it overflows by."""
    wide = {}
    for name, path in paths.items():
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        shoot(page, journey, name)
        if (overflow := scroll_overflow(page)) > 0:
            wide[name] = overflow
    return wide


def test_mentor_pages_fit_a_phone(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    page = new_page(phone=True)
    log_in(page, live_app.email("mentor"))
    paths = {"mentees": "/my/mentees", "new-session": "/my/sessions/new", "sessions": "/my/sessions"}
    paths |= {"hours": "/my/hours", "pool": "/mentors"}
    assert _overflowing(page, "phone-mentor", paths) == {}


def test_operator_list_pages_fit_a_phone(new_page: Callable[..., Page], live_app: LiveApp) -> None:
    page = new_page(phone=True)
    log_in(page, live_app.email("operator", HUALONG))
    park = page.url.split("?")[0].rstrip("/")
    expect(page.get_by_role("heading", name=PARK_NAMES[HUALONG])).to_be_visible()
    paths = {"park-home": park, "incubatees": f"{park}/incubatees", "space": f"{park}/space"}
    paths |= {"sessions": f"{park}/mentor-sessions", "pool": "/mentors", "audit": f"{park}/audit"}
    paths |= {"dashboard": f"{park}/dashboard", "reports": f"{park}/reports", "decisions": f"{park}/recommendations"}
    paths |= {
        "support": f"{park}/support",
        "deliveries": f"{park}/support/deliveries",
        "trainings": f"{park}/trainings",
    }
    page.goto(f"{park}/incubatees?q=龙都")
    page.get_by_role("link", name=HUALONG_FIRM).click()
    paths["incubatee"] = page.url
    assert _overflowing(page, "phone-operator", paths) == {}
