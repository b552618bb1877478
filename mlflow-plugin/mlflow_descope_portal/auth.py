"""The ``authorization_function`` MLflow's basic-auth app calls for every protected request.

MLflow calls it from its Flask ``before_request`` hook, again from validators and after-request
handlers of the same request, and from a synthetic Flask request context for routes served by
FastAPI. It either names the MLflow user (a werkzeug ``Authorization`` whose ``username`` MLflow
looks up in its store) or refuses with a ``Response`` that MLflow returns as is.

Failure is always closed: no valid assertion is a 401, an MLflow user that belongs to another
Descope user (binding.py) is a 403, a missing or short secret and a failed sync are a 500, and
MLflow's own Basic credentials are never consulted.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence

from flask import Response, g, request
from werkzeug.datastructures import Authorization

from .assertion import ASSERTION_HEADER, InvalidAssertion, verify_assertion
from .binding import IdentityRefused
from .binding_rules import BindingPolicy
from .identity import PortalIdentity
from .memo import SyncMemo
from .responses import internal_error, permission_denied, unauthenticated
from .settings import SECRET_ENV, ConfigurationError, Settings, load_settings
from .store import AuthStore
from .sync import sync_identity
from .workspaces import WorkspaceTarget

# Under MLflow's logger namespace, so the server's own handler and format print these lines.
_logger = logging.getLogger("mlflow.descope_portal")
_REQUEST_CACHE = "_mlflow_descope_portal_auth"


def _mlflow_auth_store() -> AuthStore:
    # Imported on first use: by then MLflow's auth app has initialised its store.
    from mlflow.server.auth import store

    store_: AuthStore = store
    return store_


def mirrored_workspaces(identity: PortalIdentity) -> str | Sequence[WorkspaceTarget]:
    """Where a sync mirrors the identity.

    With MLflow's workspaces: every asserted workspace (membership included), or only the active
    one when the portal maps no tenants. Without: MLflow's one ``default`` workspace.
    """
    from mlflow.environment_variables import MLFLOW_ENABLE_WORKSPACES
    from mlflow.utils.workspace_utils import DEFAULT_WORKSPACE_NAME

    enabled: bool = MLFLOW_ENABLE_WORKSPACES.get()  # type: ignore[no-untyped-call]
    if enabled and identity.workspaces is not None:
        return tuple(
            WorkspaceTarget(name=name, access=access, roles=roles)
            for name, access, roles in identity.workspaces
        )
    if identity.workspace is not None and enabled:
        return identity.workspace
    workspace: str = DEFAULT_WORKSPACE_NAME
    return workspace


class PortalAuthenticator:
    def __init__(
        self,
        store: Callable[[], AuthStore] = _mlflow_auth_store,
        environ: Mapping[str, str] | None = None,
        memo: SyncMemo | None = None,
        workspace: Callable[
            [PortalIdentity], str | Sequence[WorkspaceTarget]
        ] = mirrored_workspaces,
    ) -> None:
        self._store = store
        self._environ = environ
        self._memo = memo if memo is not None else SyncMemo()
        self._workspace = workspace
        self._settings: Settings | None = None
        # Syncs are rare (first sight, a changed assertion, an expired memo entry); running them
        # one at a time keeps two requests with different assertions from interleaving writes.
        self._sync_lock = threading.Lock()

    def authenticate(self) -> Authorization | Response:
        token = request.headers.get(ASSERTION_HEADER)
        # One verification per request: MLflow asks again from after-request handlers, and a slow
        # upload must not turn into a 401 after its experiment was created.
        cached = g.get(_REQUEST_CACHE)
        if cached is not None and cached[0] == token:
            authorization: Authorization = cached[1]
            return authorization
        try:
            settings = self._load_settings()
        except ConfigurationError as error:
            _logger.error("Refusing every request: %s", error)
            return internal_error(
                f"MLflow's portal authentication is not configured ({SECRET_ENV}); "
                "see the MLflow server log"
            )
        try:
            identity = verify_assertion(token, settings.secret)
        except InvalidAssertion as error:
            _logger.warning(
                "Refused %s %r from %s: %s",
                request.method,
                request.path,
                request.remote_addr,
                error.reason,
            )
            return unauthenticated(error.reason)
        try:
            self._ensure_synced(identity, settings)
        except IdentityRefused as refusal:
            _logger.warning(
                "Refused %s %r from %s for Descope user %r: %s",
                request.method,
                request.path,
                request.remote_addr,
                identity.sub,
                refusal.reason,
            )
            return permission_denied(refusal.reason)
        except Exception:
            # The request must not run on a half-mirrored (possibly more privileged) user.
            _logger.exception("Could not sync MLflow user %r", identity.username)
            return internal_error("could not sync the portal identity into MLflow's user store")
        authorization = Authorization("basic", {"username": identity.username})
        g.setdefault(_REQUEST_CACHE, (token, authorization))
        return authorization

    def _load_settings(self) -> Settings:
        # Read on first use, not at import: MLflow imports this module inside a request, and a
        # bad secret must give every request a clear 500 rather than an import traceback.
        if self._settings is None:
            self._settings = load_settings(os.environ if self._environ is None else self._environ)
        return self._settings

    def _ensure_synced(self, identity: PortalIdentity, settings: Settings) -> None:
        key = identity.sync_key
        if self._memo.is_fresh(identity.username, key):
            return
        with self._sync_lock:
            if self._memo.is_fresh(identity.username, key):
                return
            workspace = self._workspace(identity)
            policy = BindingPolicy(settings.adopt_existing_users, settings.admin_username)
            try:
                result = sync_identity(
                    self._store(), identity, workspace, settings.unmanaged_roles, policy
                )
            except Exception:
                # Part of the sync may have been written: no earlier entry may vouch for it.
                self._memo.forget(identity.username)
                raise
            if result.renamed_from is not None:
                # The old name is gone; another Descope user may get it next.
                self._memo.forget(result.renamed_from)
            self._memo.remember(identity.username, key)
        if result.renamed_from is not None:
            _logger.warning(
                "Renamed MLflow user %r to %r: Descope user %r now logs in under the new name; "
                "the user's roles and grants moved with it",
                result.renamed_from,
                identity.username,
                identity.sub,
            )
        if result.adopted:
            _logger.warning(
                "Adopted existing MLflow user %r for Descope user %r (adopt_existing_users)",
                identity.username,
                identity.sub,
            )
        if result.changed:
            _logger.info(
                "Synced MLflow user %r in %s: created=%s admin_changed=%s "
                "assigned=%s unassigned=%s",
                identity.username,
                _describe(workspace),
                result.created,
                result.admin_changed,
                result.assigned,
                result.unassigned,
            )


def _describe(workspace: str | Sequence[WorkspaceTarget]) -> str:
    if isinstance(workspace, str):
        return f"workspace {workspace!r}"
    return "workspaces " + (", ".join(repr(target.name) for target in workspace) or "(none)")


_default = PortalAuthenticator()


def authenticate() -> Authorization | Response:
    """``authorization_function = mlflow_descope_portal.auth:authenticate``."""
    return _default.authenticate()
