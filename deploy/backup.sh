#!/usr/bin/env bash
# One backup of the site named by the environment (/etc/engagement/engagement.env), into $BACKUP_DIR, then the
# backups older than $BACKUP_KEEP_DAYS days are removed. PostgreSQL: pg_dump's custom format, checked by listing it
# with pg_restore; SQLite: the site's own "backup" command (online backup API, integrity-checked).
# Exits non-zero, saying why, when the backup is missing, empty or unreadable: a failure is never silent.
set -euo pipefail
BACKUP_DIR=${BACKUP_DIR:-/var/backups/engagement}
SITE_DIR=${SITE_DIR:-/opt/engagement/current}
KEEP=${BACKUP_KEEP_DAYS:-30}
DOTNET=${DOTNET:-dotnet}
stamp=$(date +%Y-%m-%d-%H%M%S)
mkdir -p "$BACKUP_DIR"

# Npgsql's "Host=...;Port=...;Database=...;Username=...;Password=..." as libpq's variables, for pg_dump.
pg_environment() {
  local part key value
  IFS=';' read -ra parts <<<"$1"
  for part in "${parts[@]}"; do
    key=$(printf '%s' "${part%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')
    value=${part#*=}
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|user|userid|"user id") export PGUSER="$value" ;;
      password|pwd) export PGPASSWORD="$value" ;;
    esac
  done
}

provider=$(printf '%s' "${Database__Provider:-Sqlite}" | tr '[:upper:]' '[:lower:]')
if [ "$provider" = "postgres" ]; then
  pg_environment "${ConnectionStrings__Engagement:?ConnectionStrings__Engagement is not set}"
  target="$BACKUP_DIR/engagement-$stamp.dump"
  pg_dump --format=custom --no-owner --file="$target.partial" "$PGDATABASE"
  [ -s "$target.partial" ] || { echo "backup: pg_dump wrote an empty file" >&2; exit 1; }
  tables=$(pg_restore --list "$target.partial" | grep -c ' TABLE ' || true)
  [ "$tables" -gt 10 ] || { echo "backup: $target.partial holds $tables tables, not a whole Engagement site" >&2; exit 1; }
  mv "$target.partial" "$target"
  suffix=dump
else
  target="$BACKUP_DIR/engagement-$stamp.db"
  "$DOTNET" "$SITE_DIR/Engagement.Web.dll" backup "$target"
  suffix=db
fi
echo "backup: $target ($(du -h "$target" | cut -f1))"
find "$BACKUP_DIR" -maxdepth 1 -name "engagement-*.$suffix" -mtime +"$KEEP" -print -delete
