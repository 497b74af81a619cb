#!/usr/bin/env bash
# Runs the Rego tests (the shared decision table against deploy/opa/bundle) when OPA is installed.
# OPA is not packaged for these machines (not in Debian, not on npm): here the same table runs in jest
# against the router's embedded decision point (router/src/policy/decision-table.spec.ts) instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v opa >/dev/null 2>&1; then
  echo "OPA is not installed here: skipping the Rego tests (CI runs them where opa is on PATH)."
  exit 0
fi

opa version
opa test deploy/opa/bundle deploy/opa/tests -v
