#!/usr/bin/env bash
# Runs every test with code coverage; the README's test command, and what .ci/run runs.
#   ./test.sh [more dotnet test arguments, e.g. --filter ...]
# Installs the PostgreSQL server binaries the tests start their throwaway servers from when they are
# missing (Debian package postgresql), prints the coverage table (tests/coverage/), ends with the line
# "N passed, N failed" and exits with the tests' status.
set -uo pipefail
cd "$(dirname "$0")"

# The tests start a throwaway PostgreSQL server from the machine's binaries.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "test.sh: the tests need the PostgreSQL server binaries (/usr/lib/postgresql/*/bin); installing Debian package postgresql"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "test.sh: not root and no sudo: install them as root (apt-get install postgresql), then run ./test.sh again"
      echo "0 passed, 1 failed"; exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: no apt-get here: install PostgreSQL's server binaries under /usr/lib/postgresql/<version>/bin, then run ./test.sh again"
    echo "0 passed, 1 failed"; exit 1
  fi
  apt=(apt-get -qq -o DPkg::Lock::Timeout=300) # waits for another apt (say, unattended-upgrades) to finish
  if ! { $sudo "${apt[@]}" update && $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y postgresql >/dev/null; } \
     || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "test.sh: installing postgresql failed (see above); install it (apt-get install postgresql), then run ./test.sh again"
    echo "0 passed, 1 failed"; exit 1
  fi
fi

# One coverlet report per test project, in a folder named after it (tests/Directory.Build.props).
results="$PWD/TestResults/coverage"
rm -rf "$results"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test EtlActors.sln --collect:"XPlat Code Coverage" --settings tests/coverage/coverage.runsettings \
  -p:CoverageResultsDirectory="$results" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Every "Test run for <dll>" ends with a "Passed!/Failed!" summary, or "No test matches" under --filter.
read -r passed failed unreported < <(awk '
  /^Test run for / { runs++ }
  /No test matches the given testcase filter/ { none++ }
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

# The coverage table (a C# file-based app: needs nothing but the SDK). It never changes the status.
if [ -d "$results" ]; then
  dotnet run tests/coverage/CoverageTable.cs -- "$results" || echo "coverage: the table could not be made (see above)"
else
  echo "coverage: no reports (the tests did not run)"
fi

echo "$passed passed, $failed failed"
exit "$status"
