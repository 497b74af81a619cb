#!/usr/bin/env bash
# `npm start`: local services, migrations, seed data, every subgraph and the router; prints the URLs.
source "$(dirname "${BASH_SOURCE[0]}")/lib/bootstrap.sh"
exec node --import tsx scripts/dev/start.ts "$@"
