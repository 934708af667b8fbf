# syntax=docker/dockerfile:1
#
# cinerec: the API over a catalogue built while the image is built, so a container starts in
# seconds and never runs the ETL. See docs/deploy.md.
#
#   docker build -t cinerec .                                # the bundled demo data
#   docker build --build-arg RAW_DIR=data/raw -t cinerec .   # raw files inside the build context
#   docker run --rm -p 8000:8000 cinerec
#
# Stages: `builder` installs the locked dependencies and cinerec into /app/.venv; `catalog`
# builds the catalogue from RAW_DIR; the runtime stage holds only the venv and the catalogue
# and runs as a non-root user. The same base image everywhere, so the venv's interpreter link
# (/usr/local/bin/python3.11) is valid in the runtime stage.

FROM python:3.11-slim-trixie AS builder

# the uv of the Makefile (UV_VERSION there); tests/test_deploy.py checks they agree
ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /src
# the locked third-party dependencies first: this layer is reused while only the code changes
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
# then cinerec itself, as a regular (non-editable) install: the runtime needs no source tree
COPY README.md ./
COPY src ./src
RUN uv sync --frozen --no-dev --no-editable


FROM builder AS catalog

# a directory of the build context holding the raw files (see README.md, "The raw directory")
ARG RAW_DIR=src/cinerec/demo_data
COPY ${RAW_DIR} /raw/
RUN /app/.venv/bin/cinerec build --raw /raw --out /app/data/catalog


FROM python:3.11-slim-trixie AS runtime

LABEL org.opencontainers.image.title="cinerec" \
      org.opencontainers.image.description="Movie analytics and recommendations API"

RUN groupadd --system --gid 10001 cinerec \
    && useradd --system --uid 10001 --gid cinerec --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin cinerec

# owned by root and not writable by the service: the artifacts are read-only (memory-mapped,
# shared by the workers); the only writes are --workers' metrics files under /tmp
COPY --from=builder /app/.venv /app/.venv
# the whole catalogue directory: builds/<stamp>/ plus the relative `current` symlink
COPY --from=catalog /app/data/catalog /app/data/catalog

# PORT, not CINEREC_PORT: CINEREC_PORT would win over the PORT a platform (Render) sets
ENV PATH=/app/.venv/bin:$PATH \
    CINEREC_DATA_DIR=/app/data/catalog \
    CINEREC_HOST=0.0.0.0 \
    PORT=8000 \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
# numeric, so a runtime can verify it is not root (Kubernetes runAsNonRoot)
USER 10001:10001
EXPOSE 8000

# ready = catalogue and model loaded; the port the server uses: CINEREC_PORT, else PORT
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('CINEREC_PORT') or os.environ.get('PORT') or '8000'; urllib.request.urlopen(f'http://127.0.0.1:{port}/readyz', timeout=4)"]

# exec form: cinerec is PID 1 and gets the SIGTERM of `docker stop` (uvicorn drains, exits 0)
CMD ["cinerec", "serve"]
