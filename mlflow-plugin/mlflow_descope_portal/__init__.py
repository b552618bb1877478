"""An MLflow ``authorization_function`` that trusts only identities asserted by the portal.

``authorization_function = mlflow_descope_portal.auth:authenticate`` in the ini named by
``MLFLOW_AUTH_CONFIG_PATH``; see README.md for the contract and the role mirroring rules.
"""

__version__ = "0.1.0"
