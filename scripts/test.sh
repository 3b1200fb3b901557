#!/usr/bin/env bash
# The project's one test command: installs what the tests need, then runs every suite.
# Works on a fresh clone; CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm ci only when the lock file changed since the last install, so repeated runs stay fast.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-hash ] || [ "$(cat node_modules/.lock-hash)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.lock-hash
fi

# The browser test drives Debian's chromium package through playwright-core; install it when missing.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: /usr/bin/chromium is missing; install Debian's chromium package as root (apt-get install chromium)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y chromium
fi

npm run --silent build
npx tsc -p tsconfig.json --noEmit

mkdir -p test-output
status=0
# Every suite, on the newest majors: Express 5 and Koa 3.
npx jest --json --outputFile=test-output/jest-main.json || status=1
# The adapters support Express 4 and Koa 2 as well: run each framework's suites again on the older major.
MAPP_S2S_EXPRESS=4 npx jest test/behaviour/express.test.ts test/tracker-options.test.ts test/framework-mixup.test.ts \
  --json --outputFile=test-output/jest-express4.json || status=1
MAPP_S2S_KOA=2 npx jest test/behaviour/koa.test.ts test/koa test/framework-mixup.test.ts \
  --json --outputFile=test-output/jest-koa2.json || status=1

node scripts/test-summary.js test-output/jest-main.json test-output/jest-express4.json test-output/jest-koa2.json
exit $status
