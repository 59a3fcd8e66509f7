#!/usr/bin/env bash
# Writes data/corpus/kjv-gospels.txt: the four Gospels of the King James Version (public domain), one verse per line,
# without chapter headings or verse numbers. The text comes from Debian's bible-kjv package (installed if missing).
# The committed file is this script's output; running it again leaves no diff.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v bible >/dev/null; then
    apt-get install -y --no-install-recommends bible-kjv >/dev/null
fi
mkdir -p data/corpus
bible Mat1:1-Joh21:25 | awk '
    /^[A-Z][a-z]+ [0-9]+$/ { next }                       # chapter heading, e.g. "Matthew 5"
    /^ *[0-9]+ / { if (verse != "") print verse; sub(/^ *[0-9]+ /, ""); verse = $0; next }
    /^$/ { next }
    { verse = verse " " $0 }                              # a wrapped line continues the verse
    END { if (verse != "") print verse }' > data/corpus/kjv-gospels.txt
