"""Assertions as the portal signs them, and the ways they can be wrong."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import warnings
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

SECRET = "portal-assertion-secret-for-tests-0123456789"
OTHER_SECRET = "another-secret-that-the-portal-never-used-42"
DROP: Any = object()  # claims(sub=DROP) leaves the claim out


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {
        "iss": "mlflow-descope-portal",
        "aud": "mlflow",
        "iat": now,
        "exp": now + 60,
        "sub": "U2descope-user-id",
        "username": "alice@example.com",
        "email": "alice@example.com",
        "name": "Alice",
        "admin": False,
        "roles": ["mlflow-editor"],
        "tenants": {"T1": ["mlflow-editor"]},
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not DROP}


def sign(
    payload: dict[str, Any] | None = None, secret: str = SECRET, algorithm: str = "HS256"
) -> str:
    with warnings.catch_warnings():
        # HS384/HS512 tokens are signed only to be refused; their key length does not matter.
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(payload if payload is not None else claims(), secret, algorithm=algorithm)


def forge(header: dict[str, Any], payload: dict[str, Any], key: str | None = SECRET) -> str:
    """A token with any header: HMAC-SHA256 over it with ``key``, or no signature at all."""
    signing_input = f"{_b64(header)}.{_b64(payload)}"
    signature = (
        b""
        if key is None
        else hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    )
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
