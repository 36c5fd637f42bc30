#!/usr/bin/env bash
# Fuzz the API against its own OpenAPI schema: no server error, responses match the schema.
# Runs the ASGI server on a throwaway SQLite database with the demo data, as a demo user who
# sees the most (the party secretary), with rate limits out of the way.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
port=${SCHEMATHESIS_PORT:-8765}
export DATABASE_URL="sqlite:///$work/fuzz.sqlite3" MEDIA_ROOT="$work/media" VAR_DIR="$work"
export PERIODIC_JOBS_IN_PROCESS=0 API_RATE_USER=1000000/min API_RATE_ANON=1000000/min
export EMAIL_URL=dummymail://
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_demo >/dev/null
.venv/bin/python -m uvicorn config.asgi:application --host 127.0.0.1 --port "$port" \
  --log-level warning > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/token/" \
  -H 'Content-Type: application/json' -d '{"username": "huong.tt", "password": "Daihoi@2025"}' \
  | .venv/bin/python -c 'import json, sys; print(json.load(sys.stdin)["token"])')
# DELETE auth/token/ is left out: it would revoke the token the run uses.
.venv/bin/schemathesis run "http://127.0.0.1:$port/api/v1/schema/?format=json" \
  --header "Authorization: Token $token" \
  --exclude-operation-id auth_token_destroy \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-10}" --seed 20251118 --workers 2 \
  || { echo "--- server log"; tail -n 80 "$work/server.log"; exit 1; }
