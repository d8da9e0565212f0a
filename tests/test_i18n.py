"""Every string on screen goes through the translation layer, and zh-CN has them all."""

import re
from html.parser import HTMLParser

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from incubator.config import PROJECT_ROOT
from incubator.i18n import LOCALE_DIR

TEMPLATES = PROJECT_ROOT / "templates"
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]{2,}")
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}
# Pico CSS styles `nav[aria-label=breadcrumb]`: a hook for the stylesheet, kept as it is.
STYLE_HOOKS = {("aria-label", "breadcrumb")}


def _extracted() -> set[str]:
    messages: set[str] = set()
    method_maps = {
        PROJECT_ROOT / "src": [("**.py", "python")],
        TEMPLATES: [("**.html", "jinja2")],
    }
    for folder, method_map in method_maps.items():
        for _file, _line, message, _comments, _context in extract_from_dir(
            folder, method_map, options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}, keywords=KEYWORDS
        ):
            messages.add(message if isinstance(message, str) else message[0])
    return messages


def _catalog(locale: str):
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def test_every_message_has_a_chinese_translation():
    catalog = _catalog("zh_CN")
    untranslated = sorted(
        m for m in _extracted() if not (catalog.get(m) and catalog.get(m).string and not catalog.get(m).fuzzy)
    )
    assert untranslated == [], "run `make messages` and translate these in zh_CN/messages.po"


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value and WORDS.search(value) and (name, value) not in STYLE_HOOKS:
                self.found.append(f"{name}={value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and WORDS.search(data):
            self.found.append(data.strip())


@pytest.mark.parametrize("template", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")))
def test_templates_have_no_untranslated_text(template):
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    parser = _VisibleText()
    parser.feed(JINJA.sub("\x00", source))
    assert parser.found == [], f"wrap these in _() in {template}"


async def test_pages_are_chinese_by_default_with_an_english_switch(client):
    chinese = await client.get("/login")
    assert "登录" in chinese.text
    assert 'lang="zh-CN"' in chinese.text
    switched = await client.get("/locale/en?next=/login")
    assert switched.status_code == 200
    assert "Log in" in switched.text
    assert "登录" not in switched.text


async def test_api_errors_follow_the_language_too(client):
    response = await client.post("/api/auth/token", json={"email": "x@test.cn", "password": "whatever"})
    assert response.json()["title"] == "请先登录"


def test_every_enum_member_has_its_own_label():
    import enum as enum_module

    from incubator.i18n import _labels
    from incubator.models import import_all_models

    import_all_models()
    enums = {
        member_type
        for key in _labels
        if isinstance(key, tuple) and isinstance(key[0], type) and issubclass(member_type := key[0], enum_module.Enum)
    }
    missing = sorted(f"{e.__name__}.{m.name}" for e in enums for m in e if (e, m.value) not in _labels)
    assert missing == []
