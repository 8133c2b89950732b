#!/usr/bin/env bash
# Runs every test of ChatHub. Installs what the tests need when it is missing (Node.js and npm for the
# wire test against the official @microsoft/signalr client and for the server build, which installs that
# client for the browser from npm; Debian's Chromium for the browser tests; Debian's redis-server for the
# scale-out tests, which start their own on a free port; Debian's python3-aiosmtpd for the email tests' SMTP server; Debian's nginx for the deploy test; Debian's postgresql for the PostgreSQL store tests,
# which run their own cluster with initdb/pg_ctl), then runs the whole xunit suite on SQLite, and the use-case tests and the
# store-dependent end-to-end tests again on each other store. Arguments (e.g. --filter) go to the first run, and skip the others.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
# nginx and openssl for the deploy test (deploy/nginx/chathub.conf over HTTPS in front of two nodes).
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
# Debian keeps PostgreSQL's binaries in /usr/lib/postgresql/<version>/bin, off PATH: look there too.
command -v pg_ctl >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || need_apt+=(postgresql)
# Debian's aiosmtpd for the email tests (Server.Tests/Infrastructure/SmtpServer.cs runs it with /usr/bin/python3).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need_apt+=(python3-aiosmtpd)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}"
fi

# The JS wire tests' client libraries (@microsoft/signalr, @rails/actioncable, ws, @figuro/chatwoot-sdk) come from npm at test time; they are never committed.
(cd Server.Tests/js && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi)

# Every test's files (databases, PostgreSQL clusters, Redis, uploads, browser profiles) go under one temporary folder
# of this run, removed when it ends (also when it is interrupted), so that runs do not fill the disk.
run_tmp=$(mktemp -d)
chmod 1777 "$run_tmp"   # as /tmp: PostgreSQL's own user makes its cluster in there
export TMPDIR="$run_tmp"
trap 'rm -rf "$run_tmp"' EXIT
results=$(mktemp -d)
status=0
# The whole solution is built once (samples, load test and benchmarks included), then each test project of it runs
# (Server.Tests; samples/Desk.Tests, the desk sample's) with a results file of its own: one LogFileName for a whole
# solution is overwritten by each project in turn, and the count below would miss all but the last.
if ! dotnet build ChatHub.sln; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi
for project in $(dotnet sln ChatHub.sln list | grep 'Tests\.csproj$'); do
  dotnet test "$project" --no-build --logger "trx;LogFileName=sqlite-$(basename "$project" .csproj).trx" \
    --results-directory "$results" "$@" || status=$?
done

# Then, on each other store (Server.Tests/Infrastructure/TestStore.cs; the conformance suite ran on all of them already):
# - every use-case test (Server.Tests/UseCases: the rules of each use case, through the Dispatcher on a real store,
#   in-process, so cheap enough to run everywhere);
# - the end-to-end tests whose outcome depends on the store, marked Run=EveryStore, chosen by what differs per store:
#   a smoke test of each channel over it (REST, the hub, /cable, webhooks, the .NET client catching up after a drop),
#   pushes in each engine's commit order under concurrent writers, a restart on the same database, an attachment
#   stored and streamed back slice by slice (byte ranges), webhook deliveries claimed, leased and retried in the store
#   (kill -9 included), and two nodes on one database (revocation, /cable). kill -9 in the middle of a burst runs on
#   every store in the first run already (Faults/KillTests.cs), as do the stores' own server tests (Storage/).
# Everything else (transport mapping, protocols, browsers, faults, hardening) does not depend on the store: SQLite only.
# Tests that read the SQLite file itself carry Store=SqliteFile and stay out; two-node tests (Store=SharedDatabase) are
# not for a store of one process per database.
store_dependent='(FullyQualifiedName~ChatHub.Server.Tests.UseCases.|Run=EveryStore)&Store!=SqliteFile'
if [ $# -eq 0 ]; then
  # Every store but the default, as their providers (Server/Storage/*/*StoreProvider.cs) name them.
  for provider in Server/Storage/*/*StoreProvider.cs; do
    grep -q 'IsDefault => true' "$provider" && continue
    store=$(basename "$provider" StoreProvider.cs | tr '[:upper:]' '[:lower:]')
    echo "test.sh: the use-case and store-dependent tests on $store"
    filter=$store_dependent
    # A store of one process per database: tests of two nodes on one database (Store=SharedDatabase) are not for it.
    grep -q 'OneProcessPerDatabase => true' "$provider" && filter="$filter&Store!=SharedDatabase"
    CHATHUB_TEST_STORE=$store dotnet test Server.Tests --no-build --filter "$filter" \
      --logger "trx;LogFileName=$store.trx" --results-directory "$results" || status=$?
  done
fi

# One plain closing line for CI: "N passed, N failed", over every run.
passed=0; failed=0
for trx in $(find "$results" -name '*.trx'); do
  p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*'); passed=$((passed + ${p:-0}))
  f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*'); failed=$((failed + ${f:-0}))
done
echo "tests: $passed passed, $failed failed"
exit $status
