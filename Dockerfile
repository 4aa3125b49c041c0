# Cakupan in a container: one image for every part of the topology (replicas and nginx).
# Not built on the development machines (no Docker daemon there); tests/hosting/
# test_deploy_recipes.py checks this file and compose.yaml against the real CLI parser.
#
#   docker build -t cakupan .
#   docker run -p 8080:8080 -v cakupan-state:/var/lib/cakupan cakupan   # one replica, SQLite
#   docker compose up                                                   # see compose.yaml
#
# No boundary file is baked in: the app downloads them on first use from the pinned upstream
# commit (sha256-checked, geo/registry.json) into CAKUPAN_CACHE_DIR, or reads
# CAKUPAN_GEO_MIRROR (mount a copy and point the variable at it).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

# Debian's nginx (the front of `serve`) and its brotli filter, which the template loads
# when it is installed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first: this layer is rebuilt only when requirements.txt changes.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The app runs as an unprivileged user. Its code stays root-owned (read-only to it); what it
# writes lives in /var/lib/cakupan (store, boundary cache) and in run/ (serve's pid files,
# logs and rendered nginx.conf).
RUN useradd --system --uid 10001 --create-home --home-dir /home/cakupan cakupan \
    && mkdir -p /var/lib/cakupan/data /var/lib/cakupan/geo-cache /app/run \
    && chown -R cakupan:cakupan /var/lib/cakupan /app/run
# .dockerignore keeps out the local store (data/*.sqlite*), geo/cache/, secrets and .venv.
COPY . .

ENV CAKUPAN_DATABASE_URL=sqlite:////var/lib/cakupan/data/cakupan.sqlite \
    CAKUPAN_CACHE_DIR=/var/lib/cakupan/geo-cache

USER cakupan
# 8080: nginx, the public entrance; 8501: a replica, when run with --only replicas.
EXPOSE 8080 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/_stcore/health', timeout=4).read() != b'ok')"

# One replica behind nginx on the SQLite default (state in /var/lib/cakupan). More replicas
# need PostgreSQL (CAKUPAN_DATABASE_URL) and a shared CAKUPAN_COOKIE_SECRET: compose.yaml.
CMD ["python", "-m", "cakupan", "serve", "--replicas", "1", "--host", "0.0.0.0", "--port", "8080"]
