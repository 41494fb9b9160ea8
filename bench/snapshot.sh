#!/usr/bin/env bash
# Copy the app code (forum/, templates/, static/, migrations/, wsgi.py) to a
# folder named after its checksum, so bench/run.sh can serve one fixed version
# while others keep editing the working tree:
#   APP_DIR=$(bash bench/snapshot.sh) LABEL=1k bash bench/run.sh
# `bash bench/snapshot.sh --sha [DIR]` prints only the checksum of DIR's code
# (sha256 over the files' sha256sum lines, sorted by path): equal checksums mean
# the same code, wherever it lives.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PARTS="forum templates static migrations wsgi.py"

code_sha() {
  (cd "$1" && find $PARTS -type f ! -path '*/__pycache__/*' ! -name '*.pyc' \
    | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-12
}

if [ "${1:-}" = "--sha" ]; then
  code_sha "${2:-$ROOT}"
  exit 0
fi
sha=$(code_sha "$ROOT")
DEST=${SNAPSHOT_ROOT:-/tmp/knowhow-bench}/app-$sha
if [ ! -d "$DEST" ]; then
  mkdir -p "$DEST.tmp"
  (cd "$ROOT" && tar --exclude=__pycache__ --exclude='*.pyc' -cf - $PARTS) | tar -C "$DEST.tmp" -xf -
  [ "$(code_sha "$DEST.tmp")" = "$sha" ] || { echo "code changed while copying; run again" >&2; rm -rf "$DEST.tmp"; exit 1; }
  mv "$DEST.tmp" "$DEST"
fi
echo "$DEST"
