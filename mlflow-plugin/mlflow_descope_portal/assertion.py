"""Verification of the portal's ``X-Descope-Assertion`` JWT.

The portal signs one short-lived HS256 JWT per forwarded request. Anything that is not exactly
that — another algorithm, another audience or issuer, a long-lived or oversized token, claims of
the wrong shape — is refused with a reason that is safe to log and to show (it never contains
the token).
"""

from __future__ import annotations

import jwt

from .identity import MalformedClaims, PortalIdentity, parse_identity

ASSERTION_HEADER = "X-Descope-Assertion"
ISSUER = "mlflow-descope-portal"
AUDIENCE = "mlflow"
ALGORITHM = "HS256"
MAX_LIFETIME_SECONDS = 60
LEEWAY_SECONDS = 5
# Refused before any base64 or JSON parsing; the portal's assertions are well under 2 KiB.
MAX_TOKEN_BYTES = 8192


class InvalidAssertion(Exception):
    """The request carries no acceptable assertion. ``reason`` is safe to log and return."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def verify_assertion(token: str | None, secret: bytes) -> PortalIdentity:
    if token is None or not token.strip():
        raise InvalidAssertion(
            f"missing portal assertion: requests must come through the portal ({ASSERTION_HEADER})"
        )
    # Header values arrive decoded as latin-1, so characters are bytes.
    if len(token) > MAX_TOKEN_BYTES:
        raise InvalidAssertion(f"portal assertion is larger than {MAX_TOKEN_BYTES} bytes")
    try:
        header = jwt.get_unverified_header(token)
        if header.get("typ", "JWT") != "JWT":
            raise InvalidAssertion("invalid portal assertion: unexpected token type")
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=LEEWAY_SECONDS,
            options={
                "require": ["exp", "iat", "iss", "aud", "sub", "username"],
                "strict_aud": True,
            },
        )
    except jwt.ExpiredSignatureError:
        raise InvalidAssertion("invalid portal assertion: expired") from None
    except jwt.ImmatureSignatureError:
        raise InvalidAssertion("invalid portal assertion: issued in the future") from None
    except jwt.InvalidSignatureError:
        raise InvalidAssertion("invalid portal assertion: bad signature") from None
    except jwt.InvalidAlgorithmError:
        raise InvalidAssertion(f"invalid portal assertion: algorithm must be {ALGORITHM}") from None
    except jwt.InvalidAudienceError:
        raise InvalidAssertion(f"invalid portal assertion: audience must be '{AUDIENCE}'") from None
    except jwt.InvalidIssuerError:
        raise InvalidAssertion(f"invalid portal assertion: issuer must be '{ISSUER}'") from None
    except jwt.MissingRequiredClaimError as error:
        raise InvalidAssertion(f"invalid portal assertion: missing claim '{error.claim}'") from None
    except jwt.InvalidTokenError:
        # DecodeError and the remaining claim-format errors: the token is not a JWT we issue.
        raise InvalidAssertion("invalid portal assertion: malformed token") from None
    _check_lifetime(claims["iat"], claims["exp"])
    try:
        return parse_identity(claims)
    except MalformedClaims as error:
        raise InvalidAssertion(f"invalid portal assertion: {error}") from None


def _check_lifetime(iat: object, exp: object) -> None:
    # PyJWT accepts any number for iat/exp; the contract says integers, and a short lifetime is
    # what makes a leaked assertion nearly worthless, so it is enforced here rather than trusted.
    if type(iat) is not int or type(exp) is not int:
        raise InvalidAssertion("invalid portal assertion: 'iat' and 'exp' must be integers")
    if exp - iat > MAX_LIFETIME_SECONDS:
        raise InvalidAssertion(
            f"invalid portal assertion: lifetime exceeds {MAX_LIFETIME_SECONDS} seconds"
        )
    if exp <= iat:
        raise InvalidAssertion("invalid portal assertion: 'exp' is not after 'iat'")
