#!/bin/sh
# Copies the Xã Số SQLite files with SQLite's online backup (consistent while the server writes; WAL included)
# plus the signing key and service passwords, then keeps the last 14 days.
# usage: backup.sh <data-dir> <backup-dir>     (needs the Debian package sqlite3)
set -eu
data=$1
dest=$2/$(date -u +%Y-%m-%dT%H%M%SZ)
umask 077
mkdir -p "$dest"
for db in registry.sqlite collector.db timeseries.db; do
  if [ -f "$data/$db" ]; then
    sqlite3 "$data/$db" ".backup '$dest/$db'"
    sqlite3 "$dest/$db" 'PRAGMA integrity_check' | grep -qx ok || { echo "backup of $db failed its integrity check" >&2; exit 1; }
  fi
done
for file in console-signing-key.pem service-credentials.json; do
  if [ -f "$data/$file" ]; then cp -p "$data/$file" "$dest/"; fi
done
find "$2" -mindepth 1 -maxdepth 1 -type d -mtime +14 -exec rm -rf {} +
echo "backup written to $dest"
