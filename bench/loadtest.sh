#!/usr/bin/env bash
# make loadtest: gunicorn with production settings on PostgreSQL at scale, loopback only,
# bounded in time (LOAD_SECONDS) and requests (LOAD_MAX_REQUESTS).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DB_NAME=${LOAD_DB:-unionvol_load}
PORT=${LOAD_PORT:-8011}
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB_NAME}
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL=http://127.0.0.1 SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO
export SECRET_KEY=${SECRET_KEY:-$($PY -c 'import secrets; print(secrets.token_urlsafe(60))')}
export STATIC_ROOT=${STATIC_ROOT:-$PWD/bench/_out/static}
export MEDIA_ROOT=${MEDIA_ROOT:-$PWD/bench/_out/media}
export AXES_FAILURE_LIMIT=1000

$PY - <<PYEOF
import psycopg
with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
    if not c.execute("SELECT 1 FROM pg_database WHERE datname=%s", ["$DB_NAME"]).fetchone():
        c.execute('CREATE DATABASE "$DB_NAME"')
PYEOF
$PY manage.py migrate --noinput -v0
if ! $PY manage.py shell -c "from unions.models import Union; from unionvol.scoping import system_scope
with system_scope(): found = Union.objects.filter(code='S').exists()
raise SystemExit(0 if found else 1)"; then
  echo "::: generating scale data (once per database)"
  $PY manage.py generate_scale_data --unions "${LOAD_UNIONS:-1000}" --volunteers "${LOAD_VOLUNTEERS:-100000}" \
    --participations "${LOAD_PARTICIPATIONS:-1000000}" --seed 1
fi
$PY bench/explain.py
$PY manage.py collectstatic --noinput -v0

COLD_PORT=$((PORT + 1))
serve() {  # serve PORT PIDFILE: gunicorn as in production, 4 workers × 2 threads
  .venv/bin/gunicorn unionvol.wsgi --bind "127.0.0.1:$1" --workers "${LOAD_WORKERS:-4}" --threads "${LOAD_THREADS:-2}" \
    --worker-class gthread --log-level warning --pid "$2" &
}
serve "$PORT" bench/_out/gunicorn.pid
GPID=$!
# The same app with the dashboard cache off: the dashboard_cold page computes every time.
DASHBOARD_CACHE_SECONDS=0 serve "$COLD_PORT" bench/_out/gunicorn-cold.pid
CPID=$!
trap 'kill $GPID $CPID 2>/dev/null || true' EXIT
for p in "$PORT" "$COLD_PORT"; do
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$p/healthz" -H 'X-Forwarded-Proto: https' >/dev/null && break; sleep 0.2; done
done

$PY bench/loadtest.py --base "http://127.0.0.1:$PORT" --cold-base "http://127.0.0.1:$COLD_PORT" \
  --users "${LOAD_USERS:-scale_admin,scale_reviewer,scale_city_reviewer0,scale_clerk0}" \
  --concurrency "${LOAD_CONCURRENCY:-8}" --seconds "${LOAD_SECONDS:-80}" --max-requests "${LOAD_MAX_REQUESTS:-50000}"
