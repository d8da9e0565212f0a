# syntax=docker/dockerfile:1
# Build:  docker build -t incubator .
# Run:    docker run -p 8000:8000 \
#           -e INCUBATOR_DATABASE_URL=postgresql+asyncpg://USER:PASSWORD@HOST:5432/incubator \
#           -e INCUBATOR_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))') \
#           incubator
# The container upgrades the database to the latest migration, then serves with granian.

FROM python:3.11-slim-bookworm AS build
RUN pip install --no-cache-dir uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY README.md ./
COPY src ./src
RUN uv sync --locked --no-dev --no-editable

FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 incubator
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY templates ./templates
COPY migrations ./migrations
ENV PATH="/app/.venv/bin:$PATH" \
    PYTHONDONTWRITEBYTECODE=1 \
    INCUBATOR_ENVIRONMENT=production \
    INCUBATOR_PROJECT_ROOT=/app \
    INCUBATOR_HOST=0.0.0.0 \
    INCUBATOR_PORT=8000
USER incubator
EXPOSE 8000
CMD ["sh", "-c", "incubator database upgrade --no-prompt && exec granian --interface asgi --factory --host \"$INCUBATOR_HOST\" --port \"$INCUBATOR_PORT\" --workers \"${INCUBATOR_WORKERS:-2}\" incubator.app:create_app"]
