-- Resource monitor of the {{ENV}} environment. Only ACCOUNTADMIN may create resource monitors
-- and assign them to warehouses, so this lives here and never in the program; the program
-- only checks (as the deploy or preview role, through MONITOR) that the monitor exists with
-- the quota of Pulumi.{{STACK}}.yaml (monthlyCreditQuota) and caps the stack's warehouse.
-- Run it before the first preview, and again after the first `pulumi up` of stack {{STACK}}:
-- the last statements attach the monitor to {{WAREHOUSE}} and {{ALERT_WAREHOUSE}} once the stack has created them.
USE ROLE ACCOUNTADMIN;

CREATE RESOURCE MONITOR IF NOT EXISTS {{MONITOR}} WITH
  CREDIT_QUOTA = {{CREDIT_QUOTA}}
  FREQUENCY = MONTHLY
  START_TIMESTAMP = IMMEDIATELY
  NOTIFY_USERS = ({{NOTIFY_USERS}})
  TRIGGERS {{TRIGGERS}};

-- Re-applied on every run, so a changed quota or recipient in Pulumi.{{STACK}}.yaml reaches the monitor.
ALTER RESOURCE MONITOR {{MONITOR}} SET
  CREDIT_QUOTA = {{CREDIT_QUOTA}}
  NOTIFY_USERS = ({{NOTIFY_USERS}})
  TRIGGERS {{TRIGGERS}};

GRANT MONITOR ON RESOURCE MONITOR {{MONITOR}} TO ROLE {{DEPLOY_ROLE}};
GRANT MONITOR ON RESOURCE MONITOR {{MONITOR}} TO ROLE {{PREVIEW_ROLE}};

ALTER WAREHOUSE IF EXISTS {{CONNECTION_WAREHOUSE}} SET RESOURCE_MONITOR = {{MONITOR}};
ALTER WAREHOUSE IF EXISTS {{WAREHOUSE}} SET RESOURCE_MONITOR = {{MONITOR}};
ALTER WAREHOUSE IF EXISTS {{ALERT_WAREHOUSE}} SET RESOURCE_MONITOR = {{MONITOR}};
