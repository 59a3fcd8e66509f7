#!/usr/bin/env python3
"""A conformance driver for the `wire` runner in plain CPython: what the bittensor SDK itself computes.

The body hash applies CPython's own str() to each field and hashlib's SHA3-256, so running it checks the spec's
rendering of Python's str()/repr() against CPython itself. It needs no sr25519 library, so request_signature is
answered "unsupported". Run it with:

    conformance run --driver "python3 Conformance/drivers/python/wire_driver.py" --filter wire/ \
        --exclusions Conformance/drivers/python/wire_exclusions.json
"""
import hashlib

from driver_protocol import serve

ALLOWED_DELTA_NS = 4_000_000_000  # bittensor.core.settings.ALLOWED_DELTA
V_7_2_0 = 7_002_000


def sha3(text):
    return hashlib.sha3_256(text.encode("utf-8")).hexdigest()


def handle(handler, i):
    if handler == "body_hash":
        strings = [str(value) for value in i["fields"]]
        return {"field_strings": strings, "body_hash": sha3("".join(sha3(s) for s in strings))}
    if handler == "request_message":
        return {"message": f"{int(i['nonce'])}.{i['dendrite_hotkey']}.{i['axon_hotkey']}.{i['uuid']}.{i['body_hash']}"}
    if handler == "nonce":
        now, timeout, version = int(i["now_ns"]), int(i["timeout_ns"]), int(i["dendrite_version"])
        last = None if i["last_accepted"] is None else int(i["last_accepted"])
        if i["nonce"] is None:
            return {"accepted": False, "refusal": "nonce_missing"}
        nonce = int(i["nonce"])
        if last is not None and nonce <= last:
            return {"accepted": False, "refusal": "nonce_not_increasing"}
        if version >= V_7_2_0 and last is None and nonce <= now - ALLOWED_DELTA_NS - timeout:
            return {"accepted": False, "refusal": "nonce_too_old"}
        return {"accepted": True}
    if handler == "version_as_int":
        parts = i["version"].split(".")
        if len(parts) != 3 or not all(p.isdigit() and p.isascii() for p in parts) or int(parts[1]) >= 1000 or int(parts[2]) >= 1000 \
                or int(parts[0]) > (2**63 - 1 - 999_999) // 1_000_000:
            return {"valid": False}
        major, minor, patch = (int(p) for p in parts)
        return {"valid": True, "value": str(major * 1_000_000 + minor * 1_000 + patch)}
    return None


if __name__ == "__main__":
    serve("wire", handle)
