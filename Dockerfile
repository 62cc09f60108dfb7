# syntax=docker/dockerfile:1
# Bord: build the wheel and its dependencies into a virtualenv, then copy that into a slim image.

FROM python:3.11-slim AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY requirements/runtime.lock ./requirements/
RUN /opt/venv/bin/pip install --require-hashes -r requirements/runtime.lock
COPY app ./app
RUN python -m pip wheel --no-deps --wheel-dir /wheels . \
 && /opt/venv/bin/pip install --no-deps /wheels/bord-*.whl

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BORD_ENV=production
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bord
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
# Migrations are read from the working directory (alembic.ini + alembic/); the static files sit
# beside the installed package, where app/main.py looks for them.
COPY alembic.ini ./
COPY alembic ./alembic
COPY static /opt/venv/lib/python3.11/site-packages/static
RUN mkdir -p /app/data && chown bord:bord /app/data
USER bord
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["bord", "serve", "--host", "0.0.0.0", "--port", "8000"]
