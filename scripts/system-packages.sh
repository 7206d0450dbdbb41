#!/usr/bin/env bash
# The system packages tipwatch needs beyond Python: headless Chromium and its driver (browser
# tests), poppler's pdftoppm/pdftotext (report checks), DejaVu fonts (PDF report).
# Installs the missing ones with apt-get when it can (root, or passwordless sudo); otherwise
# says in one line what is missing and how to install it, and leaves the rest to the tests,
# which then fail with that message.
set -u

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
  else
    as_root=(none)
  fi
fi

if ! command -v apt-get >/dev/null 2>&1 || [ "${as_root[0]:-}" = "none" ]; then
  echo "tipwatch: missing system packages: ${need[*]} (install them with: sudo apt-get install ${need[*]}); the browser and PDF tests fail until then" >&2
  exit 0
fi

echo "tipwatch: installing system packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update -q >/dev/null \
   || ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; then
  echo "tipwatch: could not install ${need[*]} with apt-get; install them by hand: sudo apt-get install ${need[*]}" >&2
fi
exit 0
