#!/usr/bin/env bash
# The packages a .NET team installs (README "Install"), checked once per CI run, before the tests:
#  - one `dotnet pack` writes EtlActors.Cli (the tool `etl`), EtlActors.Node (the tool `etl-node`), EtlActors.Client and
#    EtlActors.Contracts, each with its symbols package, to artifacts/;
#  - both tools install from artifacts/ alone into a temporary tool path and print the version Directory.Build.props
#    sets, and the installed `etl` loads the sample export with the rows it should have;
#  - .ci/public-api.sh: removing a public member of Contracts or Client fails their build.
# The tests then restore EtlActors.Client from artifacts/ (PackagedClientTests, through ETL_PACKAGES, which .ci/run sets).
# Prints what it checked, or "packages: FAILED: …" and exits 1.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

fail() { echo "packages: FAILED: $*"; exit 1; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[ -n "$version" ] || fail "no <Version> in Directory.Build.props"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf artifacts
# Release, the configuration ./test.sh publishes and builds next: its publish and build find the libraries compiled.
dotnet pack EtlActors.Packages.slnf -c Release -nologo -v q > "$work/pack.log" 2>&1 || { tail -n 30 "$work/pack.log"; fail "dotnet pack"; }
for id in EtlActors.Cli EtlActors.Node EtlActors.Client EtlActors.Contracts; do
  for ext in nupkg snupkg; do
    [ -f "artifacts/$id.$version.$ext" ] || fail "dotnet pack wrote no artifacts/$id.$version.$ext"
  done
done
echo "packages: packed $(cd artifacts && echo *.nupkg) with symbols, version $version"

# Only artifacts/ as a source: what is installed is what was just packed.
cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><clear /><add key="artifacts" value="$repo/artifacts" /></packageSources>
</configuration>
XML
for id in EtlActors.Cli EtlActors.Node; do
  dotnet tool install "$id" --version "$version" --tool-path "$work/tools" --configfile "$work/NuGet.config" > "$work/install.log" 2>&1 \
    || { cat "$work/install.log"; fail "dotnet tool install $id from artifacts/"; }
done
for tool in etl etl-node; do
  shown=$("$work/tools/$tool" --version 2>&1) || fail "$tool --version exited non-zero: $shown"
  [ "$shown" = "$version" ] || fail "$tool --version printed '$shown', not $version"
done
echo "packages: etl and etl-node installed from artifacts/ into a temporary tool path; both print $version"

# The README's first command, through the installed tool, from another folder.
mkdir -p "$work/run"
(cd "$work/run" && "$work/tools/etl" run "$repo/samples/skype-export.tar" --sink "sqlite:$work/run/etl.db") > "$work/run.log" 2>&1 \
  || { cat "$work/run.log"; fail "the installed etl could not load samples/skype-export.tar"; }
# The summary's counts are read back from the database: the job's rows in each table.
for expected in "conversations  4" "participants   6" "messages       27" "quarantined    0"; do
  grep -qx "  $expected" "$work/run.log" || { cat "$work/run.log"; fail "the installed etl's run of the sample does not show '$expected'"; }
done
echo "packages: the installed etl loaded samples/skype-export.tar: 4 conversations, 6 participants, 27 messages, 0 quarantined"

bash .ci/public-api.sh || fail "the public API guard"
