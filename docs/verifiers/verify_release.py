#!/usr/bin/env python3
"""Verify an indomain release (a compact JWS, EdDSA over Ed25519) outside indomain.

An ordinary client's check, written with Python's jwcrypto (Debian: python3-jwcrypto) and the
standard library only, as strict as `indomain verify`:

  - the token is at most 1 MiB, three base64url parts, with no duplicate JSON members;
  - the header says alg EdDSA and typ indomain-release+jwt, names a key (kid) of the JWKS, and
    carries no key of its own (jwk, jku, x5u, x5c, x5t, x5t#S256) and no crit;
  - the signature verifies with that key (jwcrypto);
  - the claims are all there; iss is indomain; aud is the expected consumer; the release has not
    expired (exp) and was not issued in the future (iat); env is production unless --allow-dev;
  - resultHash is the SHA-256 of the result in canonical JSON (keys sorted, numbers as
    JavaScript writes them), and requestHash that of the request when --request names it.

Usage:
  verify_release.py --jwks jwks.json --token release.jws [--audience bank-hf]
                    [--request request.json] [--allow-dev] [--now SECONDS]

Exit 0 and the claims (JSON) on stdout when the release verifies; exit 1 and a reason code on
stderr (BAD_SIGNATURE, EXPIRED, RESULT_MISMATCH, ...) when it does not.
"""
import argparse
import base64
import hashlib
import json
import math
import sys
import time

from jwcrypto import jwk, jws

MAX_BYTES = 1024 * 1024
RELEASE_TYPE = "indomain-release+jwt"
ISSUER = "indomain"
REQUIRED = ["jti", "iss", "aud", "iat", "exp", "env", "product", "scenario", "consumer", "requestHash", "resultHash", "checks", "result"]
KEY_BEARING = ["jwk", "jku", "x5u", "x5c", "x5t", "x5t#S256", "crit"]
CLOCK_SKEW_SECONDS = 60


class Refused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def no_duplicates(pairs):
    seen = {}
    for name, value in pairs:
        if name in seen:
            raise Refused("DUPLICATE_HEADER_MEMBER")
        seen[name] = value
    return seen


def b64url_json(part, reason):
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates)
    except Refused:
        raise
    except Exception:
        raise Refused(reason)
    if not isinstance(value, dict):
        raise Refused(reason)
    return value


def es_number(x):
    """A number as JavaScript's JSON.stringify writes it (shortest round trip, ES exponent rules)."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    mantissa, _, exponent = repr(abs(x)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # value = 0.digits × 10^n
    n = len(whole.lstrip("0")) if whole.strip("0") else -(len(fraction) - len(fraction.lstrip("0")))
    n += int(exponent or 0)
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def canonical(value):
    """Canonical JSON as indomain hashes it: object keys sorted (by UTF-16 code units), no spaces."""
    if value is None:
        return "null"
    if isinstance(value, (bool, int, float)):
        return es_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    keys = sorted(value.keys(), key=lambda k: k.encode("utf-16-be"))
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k]) for k in keys) + "}"


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(token, jwks_json, audience=None, request=None, allow_dev=False, now=None):
    token = token.strip()
    if len(token.encode("utf-8")) > MAX_BYTES:
        raise Refused("TOO_LARGE")
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise Refused("MALFORMED")
    header = b64url_json(parts[0], "BAD_HEADER")
    if header.get("alg") != "EdDSA":
        raise Refused("ALG_NOT_ALLOWED")
    if any(name in header for name in KEY_BEARING):
        raise Refused("KEY_IN_HEADER")
    if header.get("typ") != RELEASE_TYPE:
        raise Refused("WRONG_TYPE")
    keys = jwk.JWKSet.from_json(jwks_json)
    key = keys.get_key(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if key is None or key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        raise Refused("UNKNOWN_KEY")
    try:
        signed = jws.JWS()
        signed.deserialize(token)
        signed.verify(key, alg="EdDSA")
    except Exception:
        raise Refused("BAD_SIGNATURE")
    try:
        claims = json.loads(signed.payload.decode("utf-8"), object_pairs_hook=no_duplicates)
    except Refused:
        raise
    except Exception:
        raise Refused("MALFORMED")
    if not isinstance(claims, dict) or any(name not in claims for name in REQUIRED):
        raise Refused("MISSING_CLAIM")
    if claims["iss"] != ISSUER:
        raise Refused("WRONG_ISSUER")
    if audience is not None and claims["aud"] != audience:
        raise Refused("WRONG_AUDIENCE")
    now = int(time.time()) if now is None else now
    if not isinstance(claims["exp"], (int, float)) or claims["exp"] <= now:
        raise Refused("EXPIRED")
    if not isinstance(claims["iat"], (int, float)) or claims["iat"] > now + CLOCK_SKEW_SECONDS:
        raise Refused("NOT_YET_VALID")
    if claims["env"] != "production" and not allow_dev:
        raise Refused("DEV_RELEASE")
    if sha256_hex(canonical(claims["result"])) != claims["resultHash"]:
        raise Refused("RESULT_MISMATCH")
    if request is not None and sha256_hex(canonical(request)) != claims["requestHash"]:
        raise Refused("REQUEST_MISMATCH")
    return claims


def main():
    parser = argparse.ArgumentParser(description="Verify an indomain release outside indomain.")
    parser.add_argument("--jwks", required=True, help="the server's JWKS (GET /.well-known/jwks.json), a file")
    parser.add_argument("--token", required=True, help="the release (a compact JWS), a file")
    parser.add_argument("--audience", help="the consumer the release must be for")
    parser.add_argument("--request", help="the request it must answer (product, version, scenario, consumer, input), a JSON file")
    parser.add_argument("--allow-dev", action="store_true", help="accept releases signed with dev keys")
    parser.add_argument("--now", type=int, help="seconds since the epoch (tests)")
    args = parser.parse_args()
    with open(args.jwks, encoding="utf-8") as f:
        jwks_json = f.read()
    with open(args.token, encoding="utf-8") as f:
        token = f.read()
    request = None
    if args.request is not None:
        with open(args.request, encoding="utf-8") as f:
            request = json.load(f)
    try:
        claims = verify(token, jwks_json, args.audience, request, args.allow_dev, args.now)
    except Refused as refused:
        print(refused.reason, file=sys.stderr)
        return 1
    print(json.dumps(claims, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
