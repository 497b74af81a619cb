# Sourced by start.sh and test.sh: installs what a fresh clone lacks. Safe to run every time.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_DIR"

command -v node >/dev/null 2>&1 || { echo "Node.js >= 20.19 is required (https://nodejs.org)" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  { echo "Node.js >= 20.19 is required, found $(node -v)" >&2; exit 1; }

# Install exactly the lockfile when node_modules is missing or older than it. `npm ci` refuses a
# lockfile out of step with package.json or missing a platform's optional binary (see .github/README.md).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bootstrap] npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

# The Prisma client is generated code (git-ignored): regenerate when the schema changed.
stamp=prisma/generated/.schema-hash
hash="$(cat prisma/schema/*.prisma | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "[bootstrap] prisma generate" >&2
  npm run --silent db:generate >&2
  echo "$hash" >"$stamp"
fi
