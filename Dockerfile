# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir .
COPY --from=assets /app/node_modules ./node_modules
RUN DEBUG=0 SECRET_KEY=collectstatic-only MFA_ENCRYPTION_KEY=collectstatic-only python manage.py collectstatic --no-input
RUN useradd --system --home /app leds && mkdir -p /app/var && chown -R leds /app/var
USER leds
EXPOSE 8000
CMD ["scripts/procfile.sh", "web"]
