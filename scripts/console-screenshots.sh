#!/usr/bin/env bash
# Refreshes the web console's screenshots in docs/images/ (shown in the README and docs/console.md):
# builds the server and runs the browser test that walks the journal, an explained refusal and the
# token inspector, with CONSOLE_SCREENSHOTS pointing there. Needs chromium, chromium-driver and the
# Python packages of Tests/Interop/requirements.txt (scripts/test.sh installs them into
# .build/interop-venv, which this script uses when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product confluence-auth-mock >/dev/null
python=python3
[ -x .build/interop-venv/bin/python3 ] && python=.build/interop-venv/bin/python3
CONSOLE_SCREENSHOTS="$PWD/docs/images" "$python" -m pytest -q Tests/Interop/test_console.py -k refused_connect
ls -l docs/images/console-*.png
