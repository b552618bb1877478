"""Print every route the installed MLflow tracking server serves, as JSON [{method, path}].

Run with the project's venv python. It imports the same apps `mlflow server` runs: the FastAPI
app (uvicorn, the default) with its native routers, and the Flask app it mounts at "/" (whose
url_map also holds every route registered from `handlers.get_endpoints()`). Paths keep MLflow's
own template syntax (`<x>`, `<path:x>`, `{x}`, `{x:path}`). Only JSON reaches stdout.
"""

import contextlib
import json
import logging
import os
import sys
import warnings

# Routes are listed as a server without --static-prefix serves them; the portal strips /mlflow.
os.environ.pop("_MLFLOW_STATIC_PREFIX", None)
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

IMPLICIT_METHODS = {"HEAD", "OPTIONS"}  # added by Flask to every rule; no handler behind them


def flask_routes(flask_app):
    for rule in flask_app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - IMPLICIT_METHODS):
            yield method, rule.rule


def fastapi_routes(routes, prefix=""):
    """Walk FastAPI routes, including the lazily included routers of FastAPI >= 0.16x."""
    for route in routes:
        if hasattr(route, "original_router") and hasattr(route, "include_context"):
            router = route.original_router
            nested = list(router.routes) + list(getattr(router, "_low_priority_routes", []))
            yield from fastapi_routes(nested, prefix + route.include_context.prefix)
        elif type(route).__name__ == "Mount":
            if route.path in ("", "/"):
                continue  # the Flask app, listed from its own url_map
            yield "ANY", f"{prefix}{route.path}/{{path:path}}"
        elif type(route).__name__ == "WebSocketRoute":
            yield "GET", prefix + route.path  # a WebSocket handshake is a GET
        else:
            for method in sorted((getattr(route, "methods", None) or set()) - IMPLICIT_METHODS):
                yield method, prefix + route.path


def main():
    with contextlib.redirect_stdout(sys.stderr):
        from mlflow.server import app as flask_app
        from mlflow.server.fastapi_app import app as fastapi_app

        # FastAPI routes first: they take precedence over the Flask mount, as in the server.
        found = list(fastapi_routes(fastapi_app.routes)) + list(flask_routes(flask_app))
    seen = set()
    routes = []
    for method, path in found:
        if (method, path) not in seen:
            seen.add((method, path))
            routes.append({"method": method, "path": path})
    sys.stdout.write(json.dumps(routes) + "\n")


if __name__ == "__main__":
    main()
