#!/usr/bin/env bash
# Runs every test in the solution and ends with one line: "N passed, N failed".
# Exits non-zero when a build step fails, a test fails, or Spec/ consensus code uses binary floating point.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

passed=0 failed=0 status=0
mkdir -p TestResults
fail() { echo "FAILED: $*"; status=1; }

# 1. Consensus code (Spec/ and the Reference consensus) must not use binary or decimal floating point (see
#    docs/fixed-point.md); and the check itself must catch a float in either language, or it proves nothing.
for dir in Spec Reference/Bittensor.Consensus; do
    if bash scripts/check-no-float.sh "$dir"; then passed=$((passed + 1)); else failed=$((failed + 1)); fail "float check of $dir"; fi
done
for probe_file in "Probe.fs:let half = 0.5" "Probe.cs:static double Half() => 1 / 2.0;" "Cast.cs:var x = (float)y; /* 0 */"; do
    probe=$(mktemp -d)
    printf '%s\n' "${probe_file#*:}" > "$probe/${probe_file%%:*}"
    if bash scripts/check-no-float.sh "$probe" >/dev/null; then
        failed=$((failed + 1)); fail "the float check did not catch '${probe_file#*:}'"
    else
        passed=$((passed + 1)); echo "no-float check: catches '${probe_file#*:}'"
    fi
    rm -rf "$probe"
done

# 2. Build everything once.
if ! dotnet build Bittensor.sln -c Release -nologo -clp:ErrorsOnly; then
    echo "FAILED: build"
    echo "$passed passed, $((failed + 1)) failed"
    exit 1
fi

# 3. Each test runner prints its own "<runner>: N passed, N failed, N skipped" line; sum them.
summarise() { # $1 = log file; adds its runner line to the totals
    local line
    line=$(grep -aE '^[a-z-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then fail "no summary line in $1"; failed=$((failed + 1)); return; fi
    echo "$line"
    passed=$((passed + $(sed -E 's/^[a-z-]+: ([0-9]+) passed.*/\1/' <<<"$line")))
    failed=$((failed + $(sed -E 's/^[a-z-]+: [0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")))
}

log=$(mktemp)
for project in Conformance/Bittensor.Conformance.Tests; do
    dotnet run --project "$project" -c Release --no-build 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$project"
    summarise "$log"
done

for project in $(ls Reference/*/*.Tests.csproj 2>/dev/null); do
    dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$project"
    awk '/(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
           for (i = 1; i <= NF; i++) { v = $(i+1); gsub(",", "", v);
             if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v; else if ($i == "Skipped:") s += v } }
         END { if (p + f > 0) printf "dotnet-test: %d passed, %d failed, %d skipped\n", p, f, s }' "$log" > "$log.sum"
    summarise "$log.sum"
done
# 4. Conformance vectors: regeneration leaves no diff; the spec driver passes every vector; the example Python driver
#    passes the math handlers it implements (the rest are listed, with a reason, in its exclusions file).
conformance="dotnet Conformance/Bittensor.Conformance.Cli/bin/Release/net10.0/conformance.dll"
run_conformance() { # $1 = label, rest = arguments
    local label=$1; shift
    echo "== $label"
    $conformance "$@" 2>&1 | tee "$log" | grep -vE '^[a-z_]+/[a-z0-9_]+: [0-9]+ passed, 0 failed'
    [ "${PIPESTATUS[0]}" -eq 0 ] || fail "$label"
    summarise "$log"
}
run_conformance "vectors are generated, never hand-edited" check
run_conformance "spec driver" run --driver "$conformance spec-driver" --report TestResults/conformance-spec.json
run_conformance "reference driver" run --driver "dotnet Reference/Bittensor.Consensus.Driver/bin/Release/net10.0/consensus-driver.dll" \
    --exclusions Reference/Bittensor.Consensus.Driver/exclusions.json
run_conformance "reference chain driver" run --driver "dotnet Reference/Bittensor.Chain.Driver/bin/Release/net10.0/chain-driver.dll" \
    --exclusions Reference/Bittensor.Chain.Driver/exclusions.json
run_conformance "python example driver" run --driver "python3 Conformance/drivers/python/math_driver.py" --filter math/ \
    --exclusions Conformance/drivers/python/exclusions.json
run_conformance "python wire driver (CPython's own str() and SHA3)" run --driver "python3 Conformance/drivers/python/wire_driver.py" --filter wire/ \
    --exclusions Conformance/drivers/python/wire_exclusions.json
rm -f "$log" "$log.sum"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
