"""The driver side of the conformance protocol (docs/conformance.md), shared by the example drivers.

One JSON request per stdin line ({"id", "runner", "handler", "input"}), one JSON answer per stdout line: "output",
"unsupported" (the handler returned None or the runner is not this driver's), or "error" for malformed input.
"""
import json
import sys


def serve(runner, handle):
    """Answers requests for `runner` with handle(handler, input) until stdin ends."""
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        answer = {"id": request.get("id", "")}
        try:
            output = handle(request["handler"], request["input"]) if request.get("runner") == runner else None
            if output is None:
                answer["unsupported"] = True
            else:
                answer["output"] = output
        except (KeyError, TypeError, ValueError) as problem:
            answer["error"] = f"malformed input: {problem!r}"
        sys.stdout.write(json.dumps(answer, separators=(",", ":")) + "\n")
        sys.stdout.flush()
