#!/usr/bin/env bash
# dist/ is committed and must be what a fresh `npm run package` makes: the one freshness check,
# run by .ci/run and by .github/workflows/check-dist.yml.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run package >/dev/null || exit 1
# new files count as a difference too (a source map that appeared, say)
git add --intent-to-add -- dist >/dev/null 2>&1
if ! git diff --exit-code --stat -- dist; then
  echo "dist/ differs from a fresh 'npm run package': rebuild and commit it"
  exit 1
fi
