#!/usr/bin/env bash
# Runs one of the site's commands (check-config, migrate, create-admin, import-units, backup, restore) with exactly the
# settings the service has: the lines of the environment file, read literally (a connection string's ";" would end a
# shell command if the file were sourced). docs/DEPLOYMENT.md uses it for every operator step.
#   runuser -u engagement -- /opt/engagement/current/deploy/site-command.sh check-config
set -euo pipefail
ENV_FILE=${ENV_FILE:-/etc/engagement/engagement.env}
SITE_DIR=${SITE_DIR:-/opt/engagement/current}
[ -r "$ENV_FILE" ] || { echo "site-command: cannot read $ENV_FILE" >&2; exit 2; }
settings=()
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in ''|'#'*) continue ;; esac
  settings+=("$line")
done <"$ENV_FILE"
cd "$SITE_DIR"
exec env "${settings[@]}" "${DOTNET:-dotnet}" "$SITE_DIR/Engagement.Web.dll" "$@"
