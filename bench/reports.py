"""Time the PDF reports on the benchmark city: one park's rating report on one core, then every park's report of
the period (and the city bulletin) in one batch on the worker pool.

    INCUBATOR_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/incubator_bench \\
        uv run python bench/reports.py [--period 2017] [--runs 5]

Load the benchmark city first (`incubator demo load --scale 100`). The benchmark only reads (in a transaction
that is rolled back) and writes no certificate: it times the reports, whatever the rating's status. One report
is timed in this process (one core), best of the runs, split into its data and HTML and its PDF; the batch
gathers every park's data, then renders all the PDFs on the pool (a worker per core), as
`incubator reports render` does.
"""

import argparse
import asyncio
import io
import time

from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from incubator.app import create_app
from incubator.config import Settings
from incubator.db.tenancy import release_park
from incubator.ratings.services import RatingReview, RatingRounds
from incubator.reports.pdf import PdfRenderer, html_of, render_pdf
from incubator.reports.services import period_documents_across_parks, report_of


async def main(period: str, runs: int) -> None:
    settings = Settings.from_env()
    templates = create_app(settings).template_engine
    engine = create_async_engine(settings.database_url)
    async with engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(bind=connection, expire_on_commit=False)
        session.sync_session.info["all_parks"] = True
        rounds = RatingRounds(session)
        ratings = await rounds.ratings_of(await rounds.get_round(period))
        # the park with the most indicators filled and the longest history: the largest report
        rating = max(ratings, key=lambda r: (len(r.metrics), r.total))
        data, pdf, pages = [], [], 0
        for _ in range(runs):
            started = time.perf_counter()
            document = await report_of(RatingReview(session, rating.park_id), rating)
            html = html_of(templates, document.template, document.context)
            rendered = time.perf_counter()
            result = render_pdf(html)
            data.append(rendered - started)
            pdf.append(time.perf_counter() - rendered)
            pages = len(PdfReader(io.BytesIO(result.pdf)).pages)
            release_park(session)
        one = [d + p for d, p in zip(data, pdf, strict=True)]
        print(f"one park rating report ({len(result.pdf) // 1024} KB, {pages} pages), best of {runs}:")
        print(
            f"  {min(one):.3f} s = data and HTML {min(data):.3f} s + PDF {min(pdf):.3f} s (runs: "
            f"{', '.join(f'{t:.2f}' for t in one)})"
        )

        started = time.perf_counter()
        batch = await period_documents_across_parks(session, period, "http://127.0.0.1:8000", certificates=False)
        htmls = [html_of(templates, d.template, d.context) for d in batch.documents]
        gathered = time.perf_counter()
        renderer = PdfRenderer()
        try:
            await renderer.render(htmls[-1])  # start the workers: a long-running app has them already
            warmed = time.perf_counter()
            pdfs = await renderer.render_many(htmls)
        finally:
            renderer.close()
        finished = time.perf_counter()
        await session.close()
        await transaction.rollback()
    await engine.dispose()
    print(
        f"batch of {period}: {batch.reports} rating reports and the bulletin, "
        f"{sum(len(p) for p in pdfs) // 1024 // 1024} MB of PDF:"
    )
    print(
        f"  {finished - warmed + gathered - started:.1f} s = data and HTML {gathered - started:.1f} s + "
        f"PDF {finished - warmed:.1f} s on {renderer.processes} workers "
        f"({(finished - warmed) / len(pdfs):.2f} s a document; starting the workers took {warmed - gathered:.1f} s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--period", default="2017")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.period, arguments.runs))
