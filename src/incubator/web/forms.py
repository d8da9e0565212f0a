"""Pages validate forms through the same msgspec Structs as the API."""

import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from functools import cache
from typing import Any, NamedTuple, TypeVar

import msgspec
from litestar.response import Redirect

from incubator.errors import DomainError
from incubator.web.validation import explain

T = TypeVar("T", bound=msgspec.Struct)
PRESENT = "__present"
"""Suffix of the hidden input that tells a form showed a checkbox (``is_active__present``)."""


def accepts(annotation: Any, kind: type) -> bool:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return accepts(args[0], kind)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(accepts(arg, kind) for arg in args)
    return annotation is kind


@cache
def hints_of(schema: type[msgspec.Struct]) -> dict[str, Any]:
    return typing.get_type_hints(schema, include_extras=True)


class _Field(NamedTuple):
    name: str
    boolean: bool
    nullable: bool
    text: bool
    has_default: bool
    """A default other than UNSET: an unticked box means False."""
    may_be_left_out: bool
    """Any default, a factory's included."""


@cache
def _fields(schema: type[msgspec.Struct]) -> list[_Field]:
    """What parsing needs of each field, worked out once per schema (an import parses thousands of rows)."""
    hints = hints_of(schema)
    return [
        _Field(
            field.name,
            accepts(hints[field.name], bool),
            accepts(hints[field.name], type(None)),
            accepts(hints[field.name], str),
            field.default is not msgspec.UNSET,
            field.default is not msgspec.NODEFAULT,
        )
        for field in msgspec.structs.fields(schema)
    ]


def parse_form(form: Mapping[str, Any], schema: type[T]) -> tuple[T | None, dict[str, str]]:
    """The Struct built from a submitted form, or the messages per field."""
    data: dict[str, Any] = {}
    for field in _fields(schema):
        value: Any = form.get(field.name)
        if field.boolean:
            # An unticked box sends nothing: it means False only where the form shows the box.
            if value is not None or f"{field.name}{PRESENT}" in form or field.has_default:
                data[field.name] = value in ("on", "true", "1", True)
        elif value is None:
            continue
        elif value == "" and field.nullable:
            data[field.name] = None
        elif value == "" and field.may_be_left_out and not field.text:
            continue
        else:
            data[field.name] = value.strip() if isinstance(value, str) else value
    try:
        return msgspec.convert(data, schema, strict=False), {}
    except msgspec.ValidationError as exc:
        name, message = explain(str(exc))
        return None, {name or "": message}


def form_errors(exc: DomainError) -> dict[str, str]:
    return {exc.field or "": exc.message}


async def submit_form(
    form: Mapping[str, Any], schema: type[T], save: Callable[[T], Awaitable[str]]
) -> tuple[Redirect | None, dict[str, str]]:
    """Validate a form into ``schema`` and ``save`` it: a redirect (303) to the URL ``save`` returns,
    or, writing nothing, the messages per field for the form to be shown again."""
    data, errors = parse_form(form, schema)
    if data is None:
        return None, errors
    try:
        return Redirect(await save(data), status_code=303), {}
    except DomainError as exc:
        return None, form_errors(exc)
