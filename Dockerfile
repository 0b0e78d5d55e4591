# syntax=docker/dockerfile:1
# RelayCore image, in three stages:
#   dashboard  builds the React dashboard (frontend/ -> dist/)
#   nginx      nginx with the built dashboard and deploy/nginx.conf
#   app        (the default) Python 3.11 slim, non-root: gunicorn, Celery worker or Beat
# docker compose builds `nginx` and `app` from this one file.

FROM node:20-bookworm-slim AS dashboard
WORKDIR /build
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM nginx:1.27-alpine AS nginx
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=dashboard /build/dist /usr/share/nginx/dashboard

FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RELAYCORE_VAR_DIR=/app/var \
    BIND=0.0.0.0 \
    PORT=8000 \
    MALLOC_ARENA_MAX=2
# MALLOC_ARENA_MAX: glibc otherwise gives threads that allocate at once arenas of their
# own (up to 8 per core), and memory freed in one serves no other; gunicorn's and
# Celery's threads are many (docs/performance.md, "Web memory"). make run sets it too.
RUN groupadd --system --gid 10001 relay \
    && useradd --system --uid 10001 --gid relay --home-dir /app --shell /usr/sbin/nologin relay
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
# The code belongs to root and is read-only for the service user.
COPY manage.py ./
COPY relaycore/ relaycore/
COPY apps/ apps/
COPY scripts/ scripts/
COPY deploy/ deploy/
COPY --from=dashboard /build/dist frontend/dist
# Static files are collected at build time. Throw-away settings only let Django start:
# no secret generated here stays in the image.
RUN DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 REDIS_URL=redis://127.0.0.1:6379/0 \
    SECRET_KEY=collectstatic-only \
    FIELD_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    python manage.py collectstatic --noinput --verbosity 0 \
    && rm -f /tmp/collectstatic.sqlite3 \
    && mkdir -p /app/var && chown relay:relay /app/var
USER relay
# 8000: gunicorn (web); 8001: the stream process (python -m relaycore.stream)
EXPOSE 8000 8001
CMD ["gunicorn", "relaycore.wsgi", "--config", "python:relaycore.gunicorn_conf"]
