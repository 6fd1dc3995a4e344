#!/usr/bin/env bash
# Regenerates the low-level client from openapi.yaml and generator-config.yaml.
#
#   scripts/generate.sh          write generated/xpander_api_client (swapped in only on success)
#   scripts/generate.sh --check  fail, printing the diff, when generated/ is not what they produce
#
# Run it through `make generate` / `make check-generated`, which put the
# project's virtual environment (with the pinned generator and ruff) first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-write}
package=xpander_api_client
target=generated/$package

command -v openapi-python-client >/dev/null || { echo "openapi-python-client not found: run through make" >&2; exit 2; }
command -v ruff >/dev/null || { echo "ruff not found: the generator's output would not be formatted" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator runs on a copy of the inputs in the temporary folder, so the
# output does not depend on where the checkout lives.
cp -r openapi.yaml generator-config.yaml templates "$work/"
(
  cd "$work"
  openapi-python-client generate --path openapi.yaml --config generator-config.yaml \
    --meta none --custom-template-path templates --output-path "$package" --overwrite >generator.log 2>&1 ||
    { cat generator.log >&2; echo "generation failed; $target left as it was" >&2; exit 1; }
  # The generator prints warnings for parts of the spec it cannot express;
  # treat them as failures so a spec change cannot silently drop an endpoint.
  if grep -qE "^(Warning|WARNING)|Unable to parse|Could not" generator.log; then
    cat generator.log >&2; echo "generator warnings; $target left as it was" >&2; exit 1
  fi
)
# The emulator validates requests against the spec, so the spec ships inside
# the generated package (and check-generated keeps the copy honest).
cp openapi.yaml "$work/$package/openapi.yaml"
# PEP 561: the generated package is typed.
touch "$work/$package/py.typed"

if [ "$mode" = "--check" ]; then
  if ! diff -ruN "$target" "$work/$package"; then
    echo >&2
    echo "generated/ differs from what openapi.yaml and generator-config.yaml produce: run 'make generate'" >&2
    exit 1
  fi
  echo "generated/ is up to date"
else
  mkdir -p generated
  rm -rf "$target.old"
  [ -d "$target" ] && mv "$target" "$target.old"
  mv "$work/$package" "$target"
  rm -rf "$target.old"
  echo "wrote $target"
fi
