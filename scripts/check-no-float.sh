#!/usr/bin/env bash
# Fails when consensus code (F# in Spec/, C# in Reference/Bittensor.Consensus) mentions a binary or decimal
# floating-point type or literal. Comments are ignored; float *inputs* reach the spec as IEEE bit patterns
# (uint32/uint64), never as float values.
# Usage: check-no-float.sh [DIR]   (default: Spec; .fs, .fsi and .cs files)
set -uo pipefail
cd "$(dirname "$0")/.."
root=${1:-Spec}
# type names, and float literals such as 0.5, 1e-9, 2.0f or 1.5m (hex literals are removed first)
pattern='\b(float|float32|double|single|decimal|Double|Single|Decimal)\b|\b[0-9]+\.[0-9]|\b[0-9]+[eE][+-]?[0-9]'
# Spec/Analysis holds the whitepaper's real-number analysis models, by design outside consensus (nothing in
# Bittensor.Spec references it); it is the one exemption.
hits=$(find "$root" \( -name '*.fs' -o -name '*.fsi' -o -name '*.cs' \) -not -path '*/obj/*' -not -path '*/bin/*' -not -path 'Spec/Analysis/*' | sort | while read -r f; do
    # drop // and /// comments, (* *) and /* */ one-line comments, string literals and hex literals before matching
    sed -E 's#//.*$##; s#\(\*.*\*\)##g; s#/\*.*\*/##g; s#"([^"\\]|\\.)*"#""#g; s#0x[0-9A-Fa-f]+[A-Za-z]*##g' "$f" \
        | grep -nE "$pattern" | sed "s#^#$f:#"
done)
if [ -n "$hits" ]; then
    echo "$root: consensus code must use fixed-point types, not floating point:"
    echo "$hits"
    exit 1
fi
echo "no-float check: $root uses no float, double, single or decimal"
