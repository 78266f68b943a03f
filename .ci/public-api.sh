#!/usr/bin/env bash
# The public API guard of EtlActors.Contracts and EtlActors.Client (src/EtlActors.Contracts/PublicAPI.md), tried on a
# copy: a public member is removed from each in turn, and the build must fail with RS0017 ("removed from the public
# API") naming it, and nothing else. Prints "public API guard: ok" or says what went wrong, and exits 1.
set -uo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# What the two projects build with: the root props (which read docs/release-notes.md), the SDK pin, the analyzers'
# settings; the projects without their build output. Under src/, so that warnings are errors as in the repository.
mkdir -p "$work/src" "$work/docs"
cp Directory.Build.props Directory.Packages.props global.json .editorconfig "$work/"
cp docs/release-notes.md "$work/docs/"
for project in EtlActors.Contracts EtlActors.Client; do
  mkdir -p "$work/src/$project"
  tar -C "src/$project" --exclude=./bin --exclude=./obj -cf - . | tar -C "$work/src/$project" -xf -
done

# expect_removal_fails PROJECT FILE SED_SCRIPT SYMBOL: removes lines of FILE (a copy), builds PROJECT, puts FILE back.
expect_removal_fails() {
  local project=$1 file=$2 script=$3 symbol=$4 log="$work/build.log" errors
  cp "$work/$file" "$work/$file.orig"
  sed -i "$script" "$work/$file"
  if cmp -s "$work/$file" "$work/$file.orig"; then
    echo "public API guard: FAILED: the edit removed nothing from $file (was the member renamed? update .ci/public-api.sh)"; return 1
  fi
  if dotnet build "$work/src/$project/$project.csproj" -nologo -v q -clp:NoSummary > "$log" 2>&1; then
    echo "public API guard: FAILED: $project still builds with $symbol removed"; return 1
  fi
  errors=$(grep -o 'error [A-Z]*[0-9]*' "$log" | sort -u | tr '\n' ' ')
  if [ "$errors" != "error RS0017 " ] || ! grep -F "'$symbol'" "$log" | grep -q RS0017; then
    echo "public API guard: FAILED: removing $symbol from $project should fail with RS0017 naming it and nothing else; it gave: ${errors:-no error}"
    tail -n 20 "$log"; return 1
  fi
  echo "public API guard: removing $symbol fails the build of $project (RS0017)"
  mv "$work/$file.orig" "$work/$file"
}

# Each with its doc comment, and one nothing else refers to: only the guard is left to notice.
expect_removal_fails EtlActors.Contracts src/EtlActors.Contracts/Jobs/JobProtocol.cs \
  '/<summary>Whether the job is a known one/,/public bool Exists => Spec is not null;/d' \
  'EtlActors.Contracts.Jobs.JobStatus.Exists.get -> bool' || exit 1
expect_removal_fails EtlActors.Client src/EtlActors.Client/EtlClient.Cluster.cs \
  '/<summary>The shard regions (jobs, transformers)/,/"GetShards", cancellationToken);/d' \
  'EtlActors.Client.EtlClient.GetShardsAsync(System.Threading.CancellationToken cancellationToken = default(System.Threading.CancellationToken)) -> System.Threading.Tasks.Task<EtlActors.Contracts.Cluster.ClusterProtocol.ShardsView!>!' || exit 1
echo "public API guard: ok"
