"""Signed access tokens for the shop's API."""

import base64
import hashlib
import hmac
import json
import time


def issue(claims, secret, ttl=3600):
    body = dict(claims, exp=int(time.time()) + ttl)
    payload = base64.urlsafe_b64encode(json.dumps(body).encode())
    mac = hmac.new(secret, payload, hashlib.sha256).hexdigest()
    return payload.decode() + "." + mac


def verify(token, secret):
    """Checks the HMAC and the expiry; returns the claims or None."""
    payload, _, mac = token.partition(".")
    good = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(good, mac):
        return None
    claims = json.loads(base64.urlsafe_b64decode(payload))
    return claims if claims["exp"] > time.time() else None
