#!/usr/bin/env bash
# Runs every test with code coverage; the README's test command, and what .ci/run runs.
#   ./test.sh [more dotnet test arguments, e.g. --filter ...]
# Installs the PostgreSQL server binaries the tests start their throwaway servers from when they are
# missing (Debian package postgresql), promtool for the alerting rules' checks (Debian package
# prometheus) and Chromium for the dashboard's browser tests (Debian package chromium), publishes the etl and etl-node
# the tests start (ReadyToRun, TestResults/binaries), prints the coverage table (tests/coverage/), ends with the line
# "N passed, N failed" (the .NET tests and the rules' checks) and exits with their status.
set -uo pipefail
cd "$(dirname "$0")"

# install_package PACKAGE WHAT [apt-get install options]: installs a Debian package through apt-get, with
# sudo when not root. On failure it says why and how to get WHAT by hand, and returns 1.
install_package() {
  local package=$1 what=$2 sudo=""
  shift 2
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "test.sh: not root and no sudo: install $what as root (apt-get install $package), then run ./test.sh again"
      return 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: no apt-get here: install $what, then run ./test.sh again"
    return 1
  fi
  local apt=(apt-get -qq -o DPkg::Lock::Timeout=300) # waits for another apt (say, unattended-upgrades) to finish
  if ! { $sudo "${apt[@]}" update && $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y "$@" "$package" >/dev/null; }; then
    echo "test.sh: installing $package failed (see above); install it (apt-get install $package), then run ./test.sh again"
    return 1
  fi
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The tests start a throwaway PostgreSQL server from the machine's binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "test.sh: the tests need the PostgreSQL server binaries (/usr/lib/postgresql/*/bin); installing Debian package postgresql"
  if ! install_package postgresql "PostgreSQL's server binaries under /usr/lib/postgresql/<version>/bin"; then
    echo "0 passed, 1 failed"; exit 1
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "test.sh: installing postgresql left no /usr/lib/postgresql/*/bin/initdb; install it (apt-get install postgresql), then run ./test.sh again"
    echo "0 passed, 1 failed"; exit 1
  fi
fi

# The alerting rules' checks (at the end) need promtool, which comes in Debian package prometheus with the
# server. Its recommends (node-exporter) are not wanted. A failed install does not stop the .NET tests: the
# rules' checks are then counted as failed.
if ! command -v promtool >/dev/null 2>&1; then
  echo "test.sh: the alerting rules' checks need promtool; installing Debian package prometheus"
  if install_package prometheus "promtool (Debian package prometheus, or a Prometheus release's promtool in PATH)" \
       --no-install-recommends; then
    # Where an init system runs, the package starts the server (port 9090) and enables it at boot; only
    # promtool is wanted, so stop and disable it. In a container whose policy-rc.d forbids starting services
    # (Docker's images) nothing started, and the stop is refused harmlessly.
    as_root invoke-rc.d prometheus stop >/dev/null 2>&1
    as_root update-rc.d prometheus disable >/dev/null 2>&1
  fi
fi

# The dashboard's browser tests (tests/EtlActors.Dashboard.Tests) drive Debian's Chromium through Playwright at
# /usr/bin/chromium; never `playwright install`, which downloads a browser and fails offline. A failed install does
# not stop the other tests: the browser tests then fail, saying the browser is missing.
if [ ! -x /usr/bin/chromium ]; then
  echo "test.sh: the dashboard's browser tests need Chromium; installing Debian package chromium"
  install_package chromium "Chromium at /usr/bin/chromium (Debian package chromium)"
fi

# The tests run etl and etl-node as the Docker image ships them: published ReadyToRun, for this machine's runtime
# (EtlActors.Testing's Binaries, through ETL_TEST_BINARIES). The suite starts hundreds of those processes, and
# precompiled code takes a third off a short process's CPU, most of which is otherwise the JIT's; publishing both
# costs about two minutes, and a second publish of unchanged code much less. One publish of both (EtlActors.Apps.slnf)
# builds their shared projects once and precompiles the two apps side by side: 129 s against 160 s one after the other.
binaries="$PWD/TestResults/binaries"
rm -rf "$binaries" src/EtlActors.Cli/bin/Release/*/*/publish src/EtlActors.Node/bin/Release/*/*/publish
if ! dotnet publish EtlActors.Apps.slnf -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
     --nologo -v q; then
  echo "test.sh: publishing etl and etl-node failed (above)"; echo "0 passed, 1 failed"; exit 1
fi
mkdir -p "$binaries"
for app in Cli:etl Node:etl-node; do
  published=$(dirname "$(find "src/EtlActors.${app%%:*}/bin/Release" -path "*/publish/${app#*:}.dll" | head -n 1)")
  mv "$published" "$binaries/${app#*:}"
done
export ETL_TEST_BINARIES="$binaries"

# One coverlet report per test project, in a folder named after it (tests/Directory.Build.props).
results="$PWD/TestResults/coverage"
rm -rf "$results"
log=$(mktemp)
trap 'rm -f "$log" "$log".*' EXIT

# Build once, in Release like the publish above (and the pack before it in .ci/run), so the libraries they share are
# compiled once rather than once per configuration, and the tests run optimized code: the steps before the integration
# tests take 75-110 s less than in Debug (bench/README.md, "CI time"). Coverage is measured on that Release code: the
# compiler merges a few sequence points, so a project counts fewer lines (the engine 1,953 instead of 2,263), at about
# the same share covered.
# Then the tests run in two steps. `dotnet test` on the solution ran its projects one after another, and
# the other projects' tests (engine, pipeline, dashboard) wait on timers and a browser more than they compute (40-60% of
# the two cores): those three run side by side, their output printed as each ends. The integration tests, which keep
# both cores busy, then run alone (bench/README.md, "CI time").
if ! dotnet build EtlActors.sln -c Release --nologo -v q 2>&1 | tee "$log"; then
  echo "test.sh: the build failed (above)"; echo "0 passed, 1 failed"; exit 1
fi
# The console logger at "normal" prints one line per test with its duration: the summary below reads them.
run_tests() {
  dotnet test "tests/$1/$1.csproj" -c Release --no-build --collect:"XPlat Code Coverage" --settings tests/coverage/coverage.runsettings \
    --logger "console;verbosity=normal" -p:CoverageResultsDirectory="$results" "${@:2}" 2>&1
}
status=0
alone=EtlActors.IntegrationTests
side_by_side=()
for project in tests/*Tests/*Tests.csproj; do
  project=$(basename "$project" .csproj)
  [ "$project" = "$alone" ] || side_by_side+=("$project")
done
declare -A side_pid
for project in "${side_by_side[@]}"; do
  run_tests "$project" "$@" > "$log.$project" & side_pid[$project]=$!
done
for project in "${side_by_side[@]}"; do
  wait "${side_pid[$project]}" || status=1
  tee -a "$log" < "$log.$project"; rm -f "$log.$project"
done
run_tests "$alone" "$@" | tee -a "$log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

# Every "Test run for <dll>" ends with a summary, or "No test matches" under --filter. At "normal" verbosity the
# summary is "Test Run Successful." or "Test Run Failed." followed by "Total tests:", "Passed: N", "Failed: N"
# lines up to "Total time:"; dotnet's minimal one-line form ("Passed! - Failed: 0, Passed: 7, ...") is read too.
read -r passed failed unreported < <(awk '
  /^Test run for / { runs++ }
  /No test matches the given testcase filter/ { none++ }
  /^Test Run (Successful|Failed|Aborted)\./ { summaries++; inside = 1; next }
  inside && /^ +Passed: +[0-9]+$/ { p += $2 }
  inside && /^ +Failed: +[0-9]+$/ { f += $2 }
  inside && /Total time:/ { inside = 0 }
  /(Passed|Failed)! +- +Failed:/ {
    summaries++
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") { gsub(",", "", $(i+1)); f += $(i+1) }
      if ($i == "Passed:") { gsub(",", "", $(i+1)); p += $(i+1) }
    }
  }
  END { u = runs - none - summaries; print p + 0, f + 0, (u > 0 ? u : 0) }' "$log")
if [ "$unreported" -gt 0 ]; then
  echo "test.sh: $unreported test run(s) ended without a summary (the test host died or was killed); counted as failed"
  failed=$((failed + unreported))
  [ "$status" -ne 0 ] || status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any test could report
fi

# The alerting rules (cluster/prometheus): checked after the .NET tests, so that their lines come after
# dotnet's, just before the table, and counted in the totals as 2 + one per alert: "check rules" and "check config" one each, passed when
# promtool passes; then one per alert in alerts.yml, passed when "promtool test rules" passes and the
# alert has a case in alerts.test.yml (promtool passes a rule nobody tests). promtool reports its test
# groups only as a whole, so a failed "test rules" fails every alert; no promtool fails all of them.
rules=cluster/prometheus
mapfile -t alerts < <(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$rules/alerts.yml")
rules_passed=0
rules_failed=0
if command -v promtool >/dev/null 2>&1; then
  if promtool check rules "$rules/alerts.yml"; then rules_passed=$((rules_passed + 1)); else rules_failed=$((rules_failed + 1)); fi
  if promtool check config "$rules/prometheus.yml" "$rules/prometheus.local.yml"; then
    rules_passed=$((rules_passed + 1)); else rules_failed=$((rules_failed + 1))
  fi
  promtool test rules "$rules/alerts.test.yml"
  tested=$?
  for alert in "${alerts[@]}"; do
    if [ "$tested" -eq 0 ] && grep -Eq "alertname: *$alert( |\$)" "$rules/alerts.test.yml"; then
      rules_passed=$((rules_passed + 1))
    else
      [ "$tested" -ne 0 ] || echo "test.sh: alert $alert has no case in $rules/alerts.test.yml; counted as failed"
      rules_failed=$((rules_failed + 1))
    fi
  done
else
  rules_failed=$((2 + ${#alerts[@]}))
  echo "test.sh: FAILED: no promtool (installing Debian package prometheus failed, see the start of the log): the alerting rules' $rules_failed checks are counted as failed"
fi
echo "alerting rules: $rules_passed passed, $rules_failed failed"
passed=$((passed + rules_passed))
failed=$((failed + rules_failed))
if [ "$rules_failed" -ne 0 ] && [ "$status" -eq 0 ]; then status=1; fi

# The coverage table (a C# file-based app: needs nothing but the SDK). It never changes the status.
if [ -d "$results" ]; then
  dotnet run tests/coverage/CoverageTable.cs -- "$results" || echo "coverage: the table could not be made (see above)"
else
  echo "coverage: no reports (the tests did not run)"
fi

# Where the time went and what failed, just above the totals, so a CI log's tail says it: the ten slowest
# tests, then each failed test by name. Durations read "[850 ms]", "[12 s]" or "[1 m 5 s]".
awk '
  /^ +(Passed|Failed) .*\[[0-9].*\]$/ {
    line = $0; sub(/^ +/, "", line)
    d = substr(line, index(line, "[") + 1); sub(/\]$/, "", d)
    n = split(d, part, " "); secs = 0
    for (i = 1; i < n; i += 2) {
      if (part[i+1] == "ms") secs += part[i] / 1000; else if (part[i+1] == "s") secs += part[i]; else if (part[i+1] == "m") secs += part[i] * 60; else if (part[i+1] == "h") secs += part[i] * 3600
    }
    printf "%8.1f s  %s\n", secs, line
  }' "$log" | sort -rn | head -10 | sed '1i the ten slowest tests:'
grep -E '^ +Failed [A-Za-z]' "$log" | sed 's/^ */  FAILED: /' | sort -u
# Each failure's message (up to its stack trace, 20 lines at most), so that a CI log's tail says why, not only what.
awk '
  /^ +Failed [A-Za-z]/ { capture = 1; lines = 0; print "--- " substr($0, index($0, "Failed ")); next }
  capture && /^ +(Stack Trace|Standard Output Messages):/ { capture = 0; next }
  capture && /^ +(Passed|Failed|Skipped) [A-Za-z]/ { capture = 0 }
  capture && lines < 20 { print; lines++ }' "$log" | head -120

echo "$passed passed, $failed failed"
exit "$status"
