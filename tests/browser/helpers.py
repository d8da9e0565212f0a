"""What the browser journeys share: the running app, logging in, screenshots, the phone check."""

from dataclasses import dataclass

from playwright.sync_api import Page

from incubator.config import DEMO_PASSWORD, PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@dataclass(frozen=True)
class LiveApp:
    base_url: str
    accounts: list[dict[str, str]]
    """``incubator demo accounts --json``: e-mail, role and park code of each demo login."""

    def email(self, role: str, park: str | None = None) -> str:
        return next(a["email"] for a in self.accounts if a["role"] == role and (park is None or a["park"] == park))


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in on the login page as a person would; the page then shows wherever the app sends them."""
    page.goto("/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))


def shoot(page: Page, journey: str, step: str) -> None:
    """Keep what the person saw: ``var/screenshots/<journey>-<step>.png`` (the whole page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{journey}-{step}.png", full_page=True)


def scroll_overflow(page: Page) -> int:
    """How many pixels the page is wider than the phone's screen (0 or less: no horizontal scroll).

    Measured against the layout viewport (``clientWidth``), not ``innerWidth``: a phone browser
    zooms out to show an overflowing page whole, and ``innerWidth`` grows with it.
    """
    return int(page.evaluate("document.scrollingElement.scrollWidth - document.documentElement.clientWidth"))
