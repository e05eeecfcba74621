#!/bin/sh
# Installs the Xã Số gateway as a systemd service.
# usage: sudo ./install.sh <config.json> [source-checkout]
#   config.json      the gateway's local config (see gateway-firmware-ts/README.md); copied to /etc/xaso-gateway
#   source-checkout  the repository root with node_modules installed (default: two levels above this script)
set -eu

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $0 <config.json> [source-checkout]" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "$0: run as root (sudo)" >&2
  exit 1
fi

config=$1
script_dir=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
source_dir=${2:-$(CDPATH='' cd -- "$script_dir/../.." && pwd)}
user=xaso-gateway
app_dir=/opt/xaso-gateway
config_dir=/etc/xaso-gateway
data_dir=/var/lib/xaso-gateway
unit=/etc/systemd/system/xaso-gateway.service

if [ ! -r "$config" ]; then
  echo "$0: cannot read config file $config" >&2
  exit 1
fi
if [ ! -d "$source_dir/node_modules" ] || [ ! -f "$source_dir/gateway-firmware-ts/src/cli.ts" ]; then
  echo "$0: $source_dir is not a checkout with node_modules (run npm ci there first)" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "$0: node (>= 20.19) is not installed" >&2
  exit 1
fi

if ! id "$user" >/dev/null 2>&1; then
  useradd --system --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin --groups dialout "$user"
fi

install -d -m 0755 "$app_dir"
for part in package.json node_modules device-profiles gateway-firmware-ts; do
  rm -rf "${app_dir:?}/$part"
  cp -a "$source_dir/$part" "$app_dir/$part"
done
# One ESM file for plain node, bundled from the installed copy (profiles and native addons stay there).
(cd "$app_dir" && node --import tsx gateway-firmware-ts/scripts/bundle.ts --out "$app_dir/gateway.mjs")
chown -R root:root "$app_dir"

install -d -m 0750 -o root -g "$user" "$config_dir"
install -d -m 0700 -o "$user" -g "$user" "$data_dir"
# Credentials from enrollment live in the config: readable by the service user only.
install -m 0600 -o "$user" -g "$user" "$config" "$config_dir/gateway.json"

install -m 0644 "$script_dir/xaso-gateway.service" "$unit"
systemctl daemon-reload
systemctl enable xaso-gateway.service
systemctl restart xaso-gateway.service
echo "installed; follow the log with: journalctl -u xaso-gateway -f"
