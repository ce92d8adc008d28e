#!/usr/bin/env bash
# Debian's Chromium for the report's browser test (tests/test_report.py drives it with Playwright,
# which the test extra installs; Playwright's own browser download is never used).
# Idempotent and quiet when the package is already there.
set -euo pipefail

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for pkg in chromium fonts-dejavu-core; do
    installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup-browser: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup-browser: $(chromium --version 2>/dev/null)" >&2
