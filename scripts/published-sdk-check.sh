#!/usr/bin/env bash
# `make compat`: the platform's published xpander-sdk, unchanged, against the emulator
# on port 9016 (where that SDK prefixes paths with the organization id).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-published-sdk
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
# agno: the published SDK imports it at start-up without declaring it.
"$venv/bin/pip" install --quiet xpander-sdk agno
port=${XPANDER_COMPAT_PORT:-9016}
.venv/bin/python -m xpander_sdk.emulator --port "$port" --api-key compat-key --step-delay 0.05 &
emulator=$!
trap 'kill $emulator' EXIT
sleep 2
cd /tmp  # so the published package, not this checkout's, is imported
XPANDER_BASE_URL=http://127.0.0.1:$port XPANDER_API_KEY=compat-key XPANDER_ORGANIZATION_ID=local-org \
  "$OLDPWD/$venv/bin/python" "$OLDPWD/examples/published_sdk_check.py"
