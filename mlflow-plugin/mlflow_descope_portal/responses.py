"""MLflow-shaped error responses (``{"error_code": ..., "message": ...}``).

API clients, MLflow's own among them, read this body; a browser gets no Basic challenge
(no ``WWW-Authenticate``), so it never shows a native login popup for an identity it cannot
provide anyway.
"""

from __future__ import annotations

import json

from flask import Response


def unauthenticated(message: str) -> Response:
    return _error(401, "UNAUTHENTICATED", message)


def permission_denied(message: str) -> Response:
    return _error(403, "PERMISSION_DENIED", message)


def internal_error(message: str) -> Response:
    return _error(500, "INTERNAL_ERROR", message)


def _error(status: int, error_code: str, message: str) -> Response:
    body = json.dumps({"error_code": error_code, "message": message})
    return Response(body, status=status, mimetype="application/json")
