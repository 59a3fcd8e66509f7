#!/usr/bin/env python3
"""Summarises a Stryker.NET mutation-report.json: the score, counts per file, and every surviving or uncovered mutant
as a Markdown table row (file:line, status, mutator, replacement).

    python3 scripts/mutation-survivors.py [StrykerOutput/latest/reports/mutation-report.json]
"""
import json
import os
import sys
from collections import Counter


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "StrykerOutput/latest/reports/mutation-report.json"
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"mutation-survivors: cannot read {path}: {e}", file=sys.stderr)
        return 2
    totals = Counter()
    rows = []
    per_file = {}
    for name, data in sorted(report.get("files", {}).items()):
        counts = Counter(m["status"] for m in data["mutants"])
        totals.update(counts)
        per_file[os.path.basename(name)] = counts
        for m in sorted(data["mutants"], key=lambda m: (m["location"]["start"]["line"], m["mutatorName"])):
            if m["status"] in ("Survived", "NoCoverage"):
                replacement = " ".join(m.get("replacement", "").split())[:70].replace("|", "\\|")
                rows.append(f"| {os.path.basename(name)}:{m['location']['start']['line']} | {m['status']} | {m['mutatorName']} | `{replacement}` |")
    detected = totals["Killed"] + totals["Timeout"]
    valid = detected + totals["Survived"] + totals["NoCoverage"]
    score = 100.0 * detected / valid if valid else 0.0
    print(f"score {score:.2f} % — killed {totals['Killed']}, timeout {totals['Timeout']}, survived {totals['Survived']}, "
          f"no coverage {totals['NoCoverage']}, compile errors {totals['CompileError']}, ignored {totals['Ignored']}")
    print()
    print("| file | killed | timeout | survived | no coverage |")
    print("|---|---:|---:|---:|---:|")
    for name, c in per_file.items():
        print(f"| {name} | {c['Killed']} | {c['Timeout']} | {c['Survived']} | {c['NoCoverage']} |")
    print()
    print("| where | status | mutator | replacement |")
    print("|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
