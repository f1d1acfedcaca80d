"""Churn-prediction ML pipeline: pure pipeline logic plus a thin storage layer.

The same step functions (``churn_ml.steps``) run locally over ``LocalStore``
and inside Snowflake stored procedures (``churn_ml.procedures``) over
``SnowparkStore``.
"""

__version__ = "0.1.0"
