#!/usr/bin/env bash
# Install the system programs chaingrad uses when they are missing: Graphviz's `dot` (pictures)
# and Chromium (the browser test of the HTML player). Needs root and apt-get; otherwise says how.
set -euo pipefail
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} not found; install them (e.g. 'sudo apt-get install ${missing[*]}')" >&2
fi
