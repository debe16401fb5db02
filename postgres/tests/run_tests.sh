#!/usr/bin/env bash
# The PostgreSQL extension's tests (test_postgres.py) in a throw-away server (throwaway_server.sh):
# usage run_tests.sh MODULE EXTENSION_DIR.
set -euo pipefail
source "$(dirname "$0")/throwaway_server.sh"
ethos_pg_throwaway "$1" "$2" shared_buffers=64MB
status=0
"${ETHOS_PYTHON:-python3}" -m pytest -q -p no:cacheprovider "$(dirname "$0")/test_postgres.py" || status=$?
if [ "$status" -ne 0 ]; then
  echo "== the server's log"
  tail -n 40 "$ETHOS_PG_TMP/run/server.log"
fi
exit "$status"
