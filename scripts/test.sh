#!/usr/bin/env bash
# `npm test`: the whole suite. Starts the isolated test stack (its own Postgres/Redis/RabbitMQ
# under .data/test, other ports than dev), then static checks, every jest project and the
# Playwright end-to-end suite (web/e2e, the whole system on the test stack in Chromium).
# Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
export STACK_PROFILE=test

echo "[test] supergraph is current" >&2
npm run --silent compose:check
echo "[test] web operation types are current" >&2
npm run --silent web:codegen:check
echo "[test] type-check" >&2
npm run --silent typecheck
echo "[test] lint" >&2
npm run --silent lint
stack_was_running=1
bash deploy/local/stack.sh status >/dev/null 2>&1 || stack_was_running=0
if [ "$stack_was_running" -eq 0 ]; then
  trap 'bash deploy/local/stack.sh down' EXIT
fi
bash deploy/local/stack.sh up

# The explorer's browser test and the e2e suite drive Chromium from Debian (Playwright cannot download browsers here).
log() { printf '[test] %s\n' "$*" >&2; }
die() { printf '[test] error: %s\n' "$*" >&2; exit 1; }
source scripts/lib/apt.sh
[ -x /usr/bin/chromium ] || apt_install chromium

bash deploy/opa/test.sh

echo "[test] jest" >&2
npx jest --ci "$@"

# Traces and screenshots of failed scenarios: web/test-results (HTML report: web/playwright-report).
echo "[test] end-to-end (Playwright, Chromium)" >&2
CI=true npm run --silent e2e
