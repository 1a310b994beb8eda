#!/usr/bin/env bash
# Regenerates docker/twins.json (the compose stack's private twin directory) from the
# development secrets the stack uses, with `rmb identity`: twin 1 = //Alice (Streams gateway),
# twin 2 = //Bob (Redis bridge), twin 3 = //Charlie (echo twin), twin 4 = //Dave (Connect sink), all on the relay "relay".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/docker/twins.json"
entry() {
  local ss58
  ss58=$("$root/bin/rmb" identity "$2" | sed -E 's/.*"ss58":"([^"]+)".*/\1/')
  printf '  {"id": %s, "account": "%s", "relay": "relay", "pk": null}' "$1" "$ss58"
}
{
  echo "["
  entry 1 //Alice; echo ","
  entry 2 //Bob; echo ","
  entry 3 //Charlie; echo ","
  entry 4 //Dave; echo
  echo "]"
} > "$out"
echo "wrote $out"
