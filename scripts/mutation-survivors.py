#!/usr/bin/env python3
"""Summarises a Stryker.NET mutation-report.json: the score, counts per file, and every surviving or uncovered mutant
as a Markdown table row (file:line, status, mutator, replacement, and the review's kind and reason from
docs/mutation-review.tsv, or "unreviewed"). Exits 1 when a survivor is unreviewed.

    python3 scripts/mutation-survivors.py [REPORT.json] [REVIEW.tsv]
"""
import json
import os
import sys
from collections import Counter


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "StrykerOutput/latest/reports/mutation-report.json"
    review_path = sys.argv[2] if len(sys.argv) > 2 else "docs/mutation-review.tsv"
    review = {}
    try:
        with open(review_path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                if len(fields) != 4 or not fields[1].isdigit():
                    print(f"mutation-survivors: {review_path}:{number}: expected file, line, kind, why separated by tabs", file=sys.stderr)
                    return 2
                review[(fields[0], int(fields[1]))] = (fields[2], fields[3])
    except OSError as e:
        print(f"mutation-survivors: cannot read {review_path}: {e}", file=sys.stderr)
        return 2
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"mutation-survivors: cannot read {path}: {e}", file=sys.stderr)
        return 2
    totals = Counter()
    rows = []
    per_file = {}
    unreviewed = 0
    for name, data in sorted(report.get("files", {}).items()):
        counts = Counter(m["status"] for m in data["mutants"])
        totals.update(counts)
        per_file[os.path.basename(name)] = counts
        for m in sorted(data["mutants"], key=lambda m: (m["location"]["start"]["line"], m["mutatorName"])):
            if m["status"] in ("Survived", "NoCoverage"):
                replacement = " ".join(m.get("replacement", "").split())[:70].replace("|", "\\|")
                line = m["location"]["start"]["line"]
                kind, why = review.get((os.path.basename(name), line), ("unreviewed", ""))
                unreviewed += kind == "unreviewed"
                rows.append(f"| {os.path.basename(name)}:{line} | {m['status']} | {m['mutatorName']} | `{replacement}` | {kind} | {why} |")
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
    print("| where | status | mutator | replacement | kind | why |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    if unreviewed:
        print(f"mutation-survivors: {unreviewed} survivors on lines docs/mutation-review.tsv does not cover", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
