"""The translation layer: every string shown to a user goes through here.

Messages are written in English in the code and templates and translated through Babel
catalogs under ``locale/``; zh-CN is the default locale. The catalogs are read from their
``.po`` files at start-up, so there is no compiled file to forget to rebuild.
"""

import datetime
import enum
import io
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, Translations

from incubator.clock import SHANGHAI

LOCALE_DIR = Path(__file__).parent / "locale"
LOCALES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LOCALE = "zh_CN"
LOCALE_COOKIE = "locale"

_current_locale: ContextVar[str] = ContextVar("locale", default=DEFAULT_LOCALE)


@cache
def translations(locale: str) -> Translations:
    po_path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as po:
        catalog = read_po(po, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def set_locale(locale: str | None) -> str:
    chosen = locale if locale in LOCALES else DEFAULT_LOCALE
    _current_locale.set(chosen)
    return chosen


def current_locale() -> str:
    return _current_locale.get()


def gettext(message: str, **values: object) -> str:
    text = translations(current_locale()).gettext(message)
    return text % values if values else text


def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
    text = translations(current_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **values}


def lazy_gettext(message: str) -> LazyProxy:
    """For messages defined at import time (labels of enums, field names)."""
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext


def local_time(value: datetime.datetime | None) -> str:
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if value else ""


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated later, where it is shown."""
    return message


_labels: dict[object, str] = {}
_by_value: dict[str, str] = {}
"""Labels by a bare value (as the audit trail stores them); the first enum to claim a value keeps it."""


def register_labels(labels: dict[Any, str]) -> None:
    """Labels for the members of enums (each marked with ``N_``) and for ``(kind, key)`` pairs.

    Members of different enums that share a value (``IncubateeType.OTHER`` and ``TargetGroup.OTHER``) are
    equal keys in one dict literal: give each enum its own call."""
    for key, message in labels.items():
        if isinstance(key, enum.Enum):
            _labels[(type(key), key.value)] = message
            _by_value.setdefault(key.value, message)
        else:
            _labels[key] = message


def enum_label(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    message = _labels.get((type(value), value.value)) if isinstance(value, enum.Enum) else _by_value.get(str(value))
    return gettext(message) if message else str(value)


def labels_of(kind: str) -> list[tuple[str, str]]:
    """(key, translated label) of every registered key of a kind, for a select box."""
    return sorted(
        (key[1], gettext(message)) for key, message in _labels.items() if isinstance(key, tuple) and key[0] == kind
    )


def label(kind: str, key: str) -> str:
    """The label of a record type (``"entity"``), a field (``"field"``) or an audit action (``"action"``)."""
    message = _labels.get((kind, key))
    return gettext(message) if message else key


def spellings(enum_type: type[enum.Enum]) -> dict[str, str]:
    """Every way a spreadsheet may name a member, casefolded: its value, and its label in each language."""
    found: dict[str, str] = {}
    for member in enum_type:
        found[str(member.value).casefold()] = member.value
        message = _labels.get((enum_type, member.value))
        for locale in LOCALES:
            if message:
                found[translations(locale).gettext(message).casefold()] = member.value
    return found


def choices(enum_type: Any) -> list[tuple[str, str]]:
    """(value, translated label) for each member of an enum, for a select box."""
    return [(member.value, enum_label(member)) for member in enum_type]
