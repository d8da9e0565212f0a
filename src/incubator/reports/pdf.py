"""HTML to PDF with WeasyPrint, in a pool of worker processes sized to the cores.

The HTML is rendered from Jinja in the caller (the request's language, the app's template environment); only
the layout and the PDF writing, which hold the CPU for a while, go to a worker. A worker reports what
WeasyPrint and fontTools logged as warnings (a font fallback, subsetting with fontTools instead of HarfBuzz),
and the caller logs them again under the same names, so they are seen in the app's log and in tests."""

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Sequence
from typing import Any, NamedTuple

from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from incubator.i18n import _, current_locale

WATCHED_LOGGERS = ("weasyprint", "fontTools")


class Rendered(NamedTuple):
    pdf: bytes
    warnings: list[tuple[str, int, str]]
    """(logger, level, message) of what the watched loggers said at WARNING or above."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def render_pdf(html: str) -> Rendered:
    """HTML in, PDF out (in a worker process; everything it needs is in the HTML: styles, SVG, no URL)."""
    from weasyprint import HTML

    collect = _Collect()
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    for logger in loggers:
        logger.addHandler(collect)
    try:
        pdf = HTML(string=html).write_pdf()
    finally:
        for logger in loggers:
            logger.removeHandler(collect)
    return Rendered(pdf or b"", collect.records)


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class PdfRenderer:
    """The app's one pool of PDF workers, started on first use and shut down with the app. Workers fork from
    a server process that has imported WeasyPrint once, so a new pool starts quickly."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = processes or workers()
        self._pool: Any = None

    def _executor(self) -> Any:
        if self._pool is None:
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([__name__, "weasyprint"])
            self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context)
        return self._pool

    async def render(self, html: str) -> bytes:
        return (await self.render_many([html]))[0]

    async def render_many(self, htmls: Sequence[str]) -> list[bytes]:
        """Each HTML to a PDF, spread over the workers, in the order given."""
        loop = asyncio.get_running_loop()
        pool = self._executor()
        results = await asyncio.gather(*(loop.run_in_executor(pool, render_pdf, html) for html in htmls))
        for result in results:
            for name, level, message in result.warnings:
                logging.getLogger(name).log(level, message)
        return [result.pdf for result in results]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def page_counter() -> Markup:
    """The CSS ``content`` of the footer, "page x of y" in the reader's language, with the page counters."""
    words = _("Page {page} of {pages}")
    quoted = '"' + words.replace("\\", "\\\\").replace('"', '\\"') + '"'
    css = quoted.replace("{pages}", '" counter(pages) "').replace("{page}", '" counter(page) "')
    return Markup(css)  # noqa: S704  (our own message, quoted above)


def html_of(engine: object, template: str, context: dict[str, Any]) -> str:
    """A report's HTML from the app's template environment (``app.template_engine``), in the current language."""
    assert isinstance(engine, JinjaTemplateEngine)
    return engine.get_template(template).render(**context, locale=current_locale(), page_counter=page_counter())
