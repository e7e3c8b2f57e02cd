# Painmap: the referred-pain lookup service.

# Build the wheel (it carries data/ as app/_data) from the sources alone.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY data ./data
RUN pip wheel --no-deps --wheel-dir /wheels .

# The service: the wheel and its locked dependencies, no sources, not editable.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PAINMAP_HOST=0.0.0.0 \
    PAINMAP_PORT=8000 \
    PAINMAP_SQLITE_PATH=/srv/painmap/var/painmap.sqlite3 \
    PAINMAP_HEADER_TIMEOUT=10 \
    PAINMAP_KEEP_ALIVE_TIMEOUT=5 \
    PAINMAP_MAX_CONNECTIONS=1000 \
    PAINMAP_MAX_HEADER_BYTES=16384 \
    PAINMAP_CACHE_BYTES=16777216

WORKDIR /srv/painmap
RUN useradd --create-home --uid 10001 painmap

# requirements.lock pins every dependency (scripts/lock refreshes it).
COPY requirements.lock ./
COPY --from=build /wheels /wheels
RUN pip install --constraint requirements.lock /wheels/painmap-*.whl \
    && rm -r /wheels \
    && mkdir -p var \
    && chown painmap:painmap var

USER 10001
# Build the SQLite file now so the container starts fast and read-only data stays put.
RUN painmap load

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
# painmap serve runs uvicorn with the limits above (app.server), as it does outside Docker.
CMD ["painmap", "serve", "--host", "0.0.0.0", "--port", "8000"]
