#!/usr/bin/env bash
# Mutation testing of the Reference consensus with Stryker.NET (not part of CI: it takes minutes).
# Writes StrykerOutput/<timestamp>/reports/mutation-report.{json,html}; fails below the break threshold (80 %).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
cd Reference/Bittensor.Consensus.Tests
dotnet stryker --config-file stryker-config.json --output ../../StrykerOutput/latest "$@"
