#!/usr/bin/env bash
# Install the system programs chaingrad uses when they are missing: Graphviz's `dot` (pictures)
# and Chromium (the browser test of the HTML player). Needs root and apt-get; otherwise says how.
# Usage: system-deps.sh [graphviz] [chromium]   (no argument: both). `make demo` asks only for
# graphviz: the demo draws graphs but never opens a browser.
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(graphviz chromium)
missing=()
for package in "${wanted[@]}"; do
  case "$package" in
    graphviz) command -v dot >/dev/null 2>&1 || missing+=(graphviz) ;;
    chromium) command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
    *) echo "system-deps.sh: unknown package '$package' (expected graphviz or chromium)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${missing[*]} with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "note: ${missing[*]} not found; install them (e.g. 'sudo apt-get install ${missing[*]}')" >&2
fi
