#!/usr/bin/env python3
"""An example conformance driver in Python: a few handlers of the `math` runner, in exact integer arithmetic.

It shows what a driver in another language needs: read one JSON request per line from stdin, answer one JSON line
on stdout with the request's id and either "output", "unsupported": true, or "error". Fixed-point values travel as
raw bits in decimal strings with their type. Run it with:

    conformance run --driver "python3 Conformance/drivers/python/math_driver.py" --filter math/ \
        --exclusions Conformance/drivers/python/exclusions.json
"""
import struct

from driver_protocol import serve

FORMATS = {  # name: (fraction bits, min bits, max bits)
    "I32F32": (32, -(1 << 63), (1 << 63) - 1),
    "I64F64": (64, -(1 << 127), (1 << 127) - 1),
    "I96F32": (32, -(1 << 127), (1 << 127) - 1),
    "U64F64": (64, 0, (1 << 128) - 1),
    "U96F32": (32, 0, (1 << 128) - 1),
}


def bits(value):
    return int(value["bits"])


def fixed(type_name, b):
    return {"type": type_name, "bits": str(b)}


def fits(type_name, b):
    _, low, high = FORMATS[type_name]
    return low <= b <= high


def trunc_div(n, d):
    """Integer division rounding toward zero, like Rust."""
    q = abs(n) // abs(d)
    return q if (n >= 0) == (d > 0) else -q


def quotient(type_name, a, b):
    """(a << frac) / b truncated toward zero, or None on division by zero or overflow (checked_div)."""
    if b == 0:
        return None
    frac = FORMATS[type_name][0]
    q = trunc_div(a << frac, b)
    return q if fits(type_name, q) else None


def product(type_name, a, b):
    """The exact product floored to the type's ulps (Python's >> is an arithmetic shift, i.e. floor)."""
    return (a * b) >> FORMATS[type_name][0]


def clamp(type_name, b):
    _, low, high = FORMATS[type_name]
    return max(low, min(high, b))


def normalize(x):
    """x / sum(x), truncating; unchanged when the sum is 0 (I32F32)."""
    total = sum(bits_ for bits_ in x)
    if total == 0:
        return x
    return [quotient("I32F32", v, total) or 0 for v in x]


def round_half_away(b, frac):
    one = 1 << frac
    magnitude = (abs(b) + one // 2) >> frac
    return (magnitude if b >= 0 else -magnitude) << frac


def vec_max_upscale_to_u16(values):
    """The chain's vec_max_upscale_to_u16 on I32F32 bits."""
    u16_max = 65535 << 32
    if not values:
        return []
    m = max(values)

    def to_u16(b):
        return max(0, min(65535, b >> 32))

    if m == 0:
        return [to_u16(clamp("I32F32", product("I32F32", e, u16_max))) for e in values]
    if m > 32768 << 32:
        scale = quotient("I32F32", u16_max, m) or 0
        return [to_u16(round_half_away(clamp("I32F32", product("I32F32", e, scale)), 32)) for e in values]
    return [to_u16(round_half_away(quotient("I32F32", clamp("I32F32", product("I32F32", e, u16_max)), m) or 0, 32)) for e in values]


def from_f64(type_name, ieee_bits):
    """The double's exact value rounded to the nearest ulp, ties to even; None for NaN, infinity or overflow."""
    (x,) = struct.unpack("<d", struct.pack("<Q", ieee_bits))
    if x != x or x in (float("inf"), float("-inf")):
        return None
    numerator, denominator = x.as_integer_ratio()
    scaled_num = numerator << FORMATS[type_name][0]
    q, r = divmod(scaled_num, denominator)
    if 2 * r > denominator or (2 * r == denominator and q % 2 == 1):
        q += 1
    return q if fits(type_name, q) else None


def handle(handler, data):
    if handler == "normalize":
        return {"result": fixed("I32F32", 0) | {"bits": [str(b) for b in normalize([int(v) for v in data["x"]["bits"]])]}}
    if handler in ("safe_div", "checked_div", "checked_mul", "saturating_mul"):
        t = data["a"]["type"]
        a, b = bits(data["a"]), bits(data["b"])
        if handler == "safe_div":
            return {"result": fixed(t, quotient(t, a, b) or 0)}
        if handler == "checked_div":
            q = quotient(t, a, b)
            return {"result": None if q is None else fixed(t, q)}
        p = product(t, a, b)
        if handler == "checked_mul":
            return {"result": fixed(t, p) if fits(t, p) else None}
        return {"result": fixed(t, clamp(t, p))}
    if handler == "u16_proportion_to_fixed":
        return {"result": fixed("I32F32", quotient("I32F32", data["x"] << 32, 65535 << 32))}
    if handler == "vec_u16_max_upscale_to_u16":
        return {"result": vec_max_upscale_to_u16([v << 32 for v in data["v"]])}
    if handler == "vec_max_upscale_to_u16":
        return {"result": vec_max_upscale_to_u16([int(b) for b in data["v"]["bits"]])}
    if handler == "from_f64":
        q = from_f64(data["type"], int(data["ieee_bits"]))
        return {"result": None if q is None else fixed(data["type"], q)}
    if handler == "compute_disabled_liquid_alpha":
        # I64F64(bma) / I64F64(10^6), truncating; floored to I32F32; 1 minus it (saturating)
        average = trunc_div(int(data["bonds_moving_average"]) << 64, 1_000_000)
        return {"result": fixed("I32F32", clamp("I32F32", (1 << 32) - (average >> 32)))}
    return None


if __name__ == "__main__":
    serve("math", handle)
