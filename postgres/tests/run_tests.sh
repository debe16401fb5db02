#!/usr/bin/env bash
# The PostgreSQL extension's tests in a throw-away server: usage run_tests.sh PG_BINDIR MODULE EXTENSION_DIR.
# Nothing is installed into the system's folders. The server's binaries are copied into a temporary tree laid out as
# the installed server is (PostgreSQL finds its share and lib folders relative to its own binary), the system's
# files linked in beside the extension's, and a cluster made there with initdb. A server refuses to run as root: as
# root the cluster belongs to the `postgres` user (or `nobody`), through runuser. It listens on 127.0.0.1 only, on a
# free port, and is stopped and removed at the end, whatever happens.
set -euo pipefail
bindir=$1
module=$2
extension_dir=$3
pg_config="$bindir/pg_config"
[ -x "$pg_config" ] || pg_config=$(command -v pg_config)

tmp=$(mktemp -d /tmp/ethos-pg.XXXXXX)
runas=()
if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  id -u "$user" > /dev/null 2>&1 || user=nobody
  runas=(runuser -u "$user" --)
fi
stop() {
  if [ -f "$tmp/data/postmaster.pid" ]; then
    "${runas[@]}" "$tmp/root/bin/pg_ctl" -D "$tmp/data" -m immediate -w stop > /dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap stop EXIT

# The relocated server: bin/, lib/ (pkglibdir) and share/ (sharedir) at the same places relative to each other.
share=$("$pg_config" --sharedir)
pkglib=$("$pg_config" --pkglibdir)
bin=$("$pg_config" --bindir)
prefix=/usr
rel() { echo "${1#"$prefix"/}"; }
mkdir -p "$tmp/root/$(rel "$bin")" "$tmp/root/$(rel "$pkglib")" "$tmp/root/$(rel "$share")/extension"
ln -sfn "$tmp/root/$(rel "$bin")" "$tmp/root/bin"
for b in postgres initdb pg_ctl; do cp "$bin/$b" "$tmp/root/$(rel "$bin")/"; done
for f in "$share"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$tmp/root/$(rel "$share")/"; done
for f in "$share"/extension/*; do ln -s "$f" "$tmp/root/$(rel "$share")/extension/"; done
for f in "$pkglib"/*; do ln -s "$f" "$tmp/root/$(rel "$pkglib")/"; done
cp "$module" "$tmp/root/$(rel "$pkglib")/ethos.so"
cp "$extension_dir"/* "$tmp/root/$(rel "$share")/extension/"
mkdir -p "$tmp/data" "$tmp/run"
chmod -R a+rX "$tmp"
[ ${#runas[@]} -eq 0 ] || chown "$user" "$tmp/data" "$tmp/run"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${runas[@]}" "$tmp/root/bin/initdb" -D "$tmp/data" -U ethos --auth=trust -E UTF8 --locale=C --no-sync \
  > "$tmp/run/initdb.log" 2>&1 || { cat "$tmp/run/initdb.log"; exit 1; }
# Parallel plans need worker processes; fsync is off as nothing here must survive a crash.
"${runas[@]}" "$tmp/root/bin/pg_ctl" -D "$tmp/data" -l "$tmp/run/server.log" -w -t 60 \
  -o "-p $port -k $tmp/run -c listen_addresses=127.0.0.1 -c fsync=off -c max_worker_processes=8 \
      -c max_parallel_workers=8 -c shared_buffers=64MB" start > /dev/null || { cat "$tmp/run/server.log"; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=ethos PGDATABASE=postgres
status=0
"${ETHOS_PYTHON:-python3}" -m pytest -q -p no:cacheprovider "$(dirname "$0")/test_postgres.py" || status=$?
if [ "$status" -ne 0 ]; then
  echo "== the server's log"
  tail -n 40 "$tmp/run/server.log"
fi
exit "$status"
