# Sourced: ethos_pg_throwaway MODULE EXTENSION_DIR [SETTING...] starts a throw-away PostgreSQL server with the ethos
# extension available (not created) and exports PGHOST, PGPORT, PGUSER and PGDATABASE for psql. Nothing is installed
# into the system's folders. The server's binaries are copied into a temporary tree laid out as the installed server
# is (PostgreSQL finds its share and lib folders relative to its own binary), the system's files linked in beside the
# extension's, and a cluster made there with initdb. A server refuses to run as root: as root the cluster belongs to
# the `postgres` user (or `nobody`), through runuser. It listens on 127.0.0.1 only, on a free port, and is stopped
# and removed when the sourcing shell exits, whatever happens. SETTINGs are more `-c name=value` server options.
# (Debian's layout: pg_config's bindir, sharedir and pkglibdir under /usr.)

ethos_pg_throwaway() {
  local module=$1 extension_dir=$2
  shift 2
  local pg_config
  pg_config=$(command -v pg_config || echo /usr/lib/postgresql/15/bin/pg_config)
  ETHOS_PG_TMP=$(mktemp -d /tmp/ethos-pg.XXXXXX)
  local tmp=$ETHOS_PG_TMP
  ETHOS_PG_RUNAS=()
  local user=""
  if [ "$(id -u)" -eq 0 ]; then
    user=postgres
    id -u "$user" > /dev/null 2>&1 || user=nobody
    ETHOS_PG_RUNAS=(runuser -u "$user" --)
  fi
  trap ethos_pg_stop EXIT

  # The relocated server: bin/, lib/ (pkglibdir) and share/ (sharedir) at the same places relative to each other.
  local share pkglib bin prefix=/usr f b
  share=$("$pg_config" --sharedir)
  pkglib=$("$pg_config" --pkglibdir)
  bin=$("$pg_config" --bindir)
  local rbin=$tmp/root/${bin#"$prefix"/} rshare=$tmp/root/${share#"$prefix"/} rlib=$tmp/root/${pkglib#"$prefix"/}
  mkdir -p "$rbin" "$rlib" "$rshare/extension" "$tmp/data" "$tmp/run"
  ln -sfn "$rbin" "$tmp/root/bin"
  for b in postgres initdb pg_ctl; do cp "$bin/$b" "$rbin/"; done
  for f in "$share"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$rshare/"; done
  for f in "$share"/extension/*; do ln -s "$f" "$rshare/extension/"; done
  for f in "$pkglib"/*; do ln -s "$f" "$rlib/"; done
  cp "$module" "$rlib/ethos.so"
  cp "$extension_dir"/* "$rshare/extension/"
  chmod -R a+rX "$tmp"
  [ -z "$user" ] || chown "$user" "$tmp/data" "$tmp/run"

  local port settings=() s
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  for s in "$@"; do settings+=("-c $s"); done
  "${ETHOS_PG_RUNAS[@]}" "$tmp/root/bin/initdb" -D "$tmp/data" -U ethos --auth=trust -E UTF8 --locale=C --no-sync \
    > "$tmp/run/initdb.log" 2>&1 || { cat "$tmp/run/initdb.log"; return 1; }
  # Parallel plans need worker processes; fsync is off as nothing here must survive a crash.
  "${ETHOS_PG_RUNAS[@]}" "$tmp/root/bin/pg_ctl" -D "$tmp/data" -l "$tmp/run/server.log" -w -t 60 \
    -o "-p $port -k $tmp/run -c listen_addresses=127.0.0.1 -c fsync=off -c max_worker_processes=8 \
        -c max_parallel_workers=8 ${settings[*]}" start > /dev/null || { cat "$tmp/run/server.log"; return 1; }
  export PGHOST=127.0.0.1 PGPORT=$port PGUSER=ethos PGDATABASE=postgres
}

ethos_pg_stop() {
  [ -n "${ETHOS_PG_TMP:-}" ] || return 0
  if [ -f "$ETHOS_PG_TMP/data/postmaster.pid" ]; then
    "${ETHOS_PG_RUNAS[@]}" "$ETHOS_PG_TMP/root/bin/pg_ctl" -D "$ETHOS_PG_TMP/data" -m immediate -w stop \
      > /dev/null 2>&1 || true
  fi
  rm -rf "$ETHOS_PG_TMP"
  ETHOS_PG_TMP=""
}
