"""MLflow's own AuthServiceClient through the portal, as a user of the stock client would run it.

argv: action username resource_type resource_id [permission]; action is grant, revoke or get.
MLFLOW_TRACKING_URI is the portal's /mlflow, MLFLOW_TRACKING_TOKEN a Descope access key.
Prints one JSON line: {"ok": true, ...} or {"ok": false, "error": "..."}.
"""

import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")


def main() -> None:
    import mlflow.server

    action, username, resource_type, resource_id, *rest = sys.argv[1:]
    client = mlflow.server.get_app_client("basic-auth", tracking_uri=os.environ["MLFLOW_TRACKING_URI"])
    try:
        if action == "grant":
            client.grant_user_permission(username, resource_type, resource_id, rest[0])
            print(json.dumps({"ok": True}))
        elif action == "revoke":
            client.revoke_user_permission(username, resource_type, resource_id)
            print(json.dumps({"ok": True}))
        else:
            result = client.get_user_permission(username, resource_type, resource_id)
            print(json.dumps({"ok": True, "allowed": result.allowed, "permission": result.permission}))
    except Exception as error:  # the test reads the message
        print(json.dumps({"ok": False, "error": str(error)[:500]}))


if __name__ == "__main__":
    main()
