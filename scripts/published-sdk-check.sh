#!/usr/bin/env bash
# `make compat`: the platform's published xpander-sdk, unchanged, against the emulator, and
# the drift between its public Tasks surface and ours.
#
#   1. a program written with the published SDK (examples/published_sdk_check.py) runs the
#      guide's flows and every newer create argument against the emulator (port 9016, where
#      that SDK prefixes paths with the organization id), reports metrics, and reads a
#      scripted run's tool calls, thought and plan with its own models;
#   2. scripts/compat/read_back.py reads that task back through this project's SDK;
#   3. scripts/compat/surface.py compares the two SDKs' Tasks surfaces by introspection;
#      only scripts/compat/allowed-differences.json may explain a difference;
#   4. scripts/compat/pydantic_calls.py gives the emulator one task that holds every field,
#      makes the same pydantic calls (model_dump, model_dump_json, model_copy, ...) on the
#      published SDK's objects and on ours, and compares them; the recording must also be
#      the one tests/facade/fixtures/published-pydantic.json keeps for `make test`.
#
# The published version lives in scripts/compat/published-sdk-version (one line);
# PUBLISHED_SDK_VERSION=x.y.z make compat tries another without editing it.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
version=${PUBLISHED_SDK_VERSION:-$(tr -d '[:space:]' < scripts/compat/published-sdk-version)}
venv=.venv-published-sdk
[ -x "$venv/bin/python" ] || python3 -m venv "$venv" || exit 2
# from /tmp: this checkout's own xpander_sdk.egg-info would answer from the current directory
installed=$(cd /tmp && "$root/$venv/bin/python" -c \
  'import importlib.metadata as m; print(m.version("xpander-sdk"))' 2>/dev/null)
if [ "$installed" != "$version" ]; then
  echo "installing the published xpander-sdk $version in $venv (over a hundred packages)"
  # agno: the published SDK imports it at start-up without declaring it.
  "$venv/bin/pip" install --quiet "xpander-sdk==$version" agno || exit 2
fi
echo "== published xpander-sdk $version"

work=$(mktemp -d)
# 9016 when free: there the published SDK prefixes every path with the organization id, as
# on an agent-controller host. Another emulator may hold it; then any free port will do.
port=${XPANDER_COMPAT_PORT:-$(.venv/bin/python - <<'PY'
import socket
with socket.socket() as s:
    try:
        s.bind(("127.0.0.1", 9016))
    except OSError:
        s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
)}
[ "$port" = 9016 ] || echo "(port 9016 is taken: using $port, where the published SDK sends no /{organization_id} prefix)"
PYTHONPATH=examples .venv/bin/python -m xpander_sdk.emulator --port "$port" --api-key compat-key \
  --step-delay 0.05 --agent compat_agent:run --agents examples/compat_agents.yaml \
  >"$work/emulator.log" 2>&1 &
emulator=$!
trap 'kill $emulator 2>/dev/null; rm -rf "$work"' EXIT
# ready when it answers our key (another server on the port would not)
ready=no
for _ in $(seq 100); do
  kill -0 $emulator 2>/dev/null || break
  .venv/bin/python -c "import httpx, sys; sys.exit(httpx.get('http://127.0.0.1:$port/_emulator/metrics', \
    headers={'x-api-key': 'compat-key'}).status_code != 200)" 2>/dev/null && { ready=yes; break; }
  sleep 0.2
done
[ $ready = yes ] || { echo "the emulator did not start on port $port:"; cat "$work/emulator.log"; exit 2; }
export XPANDER_BASE_URL=http://127.0.0.1:$port XPANDER_API_KEY=compat-key \
  XPANDER_ORGANIZATION_ID=local-org XPANDER_COMPAT_OUT=$work/created.json

declare -A result
echo; echo "== 1. the published SDK's program against the emulator"
# from /tmp, so the published package, not this checkout's, is imported
(cd /tmp && "$root/$venv/bin/python" "$root/examples/published_sdk_check.py") \
  && result[program]=ok || result[program]=FAILED

echo; echo "== 2. reading its task back through this project's SDK"
if [ -s "$work/created.json" ]; then
  .venv/bin/python scripts/compat/read_back.py "$work/created.json" \
    && result[read_back]=ok || result[read_back]=FAILED
else
  echo "nothing to read back: the program did not finish"; result[read_back]=FAILED
fi

echo; echo "== 3. the published Tasks surface against ours"
(cd /tmp && "$root/$venv/bin/python" "$root/scripts/compat/surface.py" dump published) \
  >"$work/published.json" 2>"$work/published.err" || { cat "$work/published.err"; }
.venv/bin/python scripts/compat/surface.py dump ours >"$work/ours.json"
.venv/bin/python scripts/compat/surface.py compare "$work/published.json" "$work/ours.json" \
  && result[surface]=ok || result[surface]=FAILED

echo; echo "== 4. the pydantic calls on the published SDK's objects against ours"
result[pydantic]=FAILED
if .venv/bin/python scripts/compat/pydantic_calls.py seed \
  && (cd /tmp && "$root/$venv/bin/python" "$root/scripts/compat/pydantic_calls.py" record "$work/pydantic.json"); then
  .venv/bin/python scripts/compat/pydantic_calls.py compare "$work/pydantic.json" \
    && .venv/bin/python scripts/compat/pydantic_calls.py fixture "$work/pydantic.json" \
    && result[pydantic]=ok
  [ "${result[pydantic]}" = ok ] || echo "(the published SDK's recording: $root/.pydantic-calls.json)"
  [ "${result[pydantic]}" = ok ] || cp "$work/pydantic.json" "$root/.pydantic-calls.json"
fi

echo; echo "== make compat against xpander-sdk $version:" \
  "program ${result[program]}, read-back ${result[read_back]}, surface ${result[surface]}," \
  "pydantic calls ${result[pydantic]}"
for step in program read_back surface pydantic; do
  [ "${result[$step]}" = ok ] || exit 1
done
