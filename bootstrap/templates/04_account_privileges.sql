-- Account privileges of the deploy role of stack {{STACK}}: exactly what the stack uses.
-- CREATE DATABASE, CREATE WAREHOUSE, CREATE INTEGRATION: the stack creates the {{ENV}} databases,
-- warehouse and email integration, and owns them (so it needs nothing more on them: it
-- creates its schemas WITH MANAGED ACCESS, where the schema owner may define future grants).
-- {{GRANTABLE_ACCOUNT_PRIVILEGES}} WITH GRANT OPTION: the stack hands them on to {{ML_ROLE}}
-- (infra/snowflake/mlRoleGrants.ts ACCOUNT_PRIVILEGES); without EXECUTE TASK no graph runs.
USE ROLE ACCOUNTADMIN;

GRANT CREATE DATABASE, CREATE WAREHOUSE, CREATE INTEGRATION ON ACCOUNT TO ROLE {{DEPLOY_ROLE}};
GRANT {{GRANTABLE_ACCOUNT_PRIVILEGES}} ON ACCOUNT TO ROLE {{DEPLOY_ROLE}} WITH GRANT OPTION;

-- The failure alert's window runs from SNOWFLAKE.ALERT.LAST_SUCCESSFUL_SCHEDULED_TIME() to
-- SNOWFLAKE.ALERT.SCHEDULED_TIME() (infra/snowflake/observability.ts), and only a role granted
-- the SNOWFLAKE database role ALERT_VIEWER may call them (docs.snowflake.com/en/sql-reference/
-- functions/scheduled_time, "Usage notes"); the alerts are owned and run by {{ML_ROLE}}.
GRANT DATABASE ROLE SNOWFLAKE.ALERT_VIEWER TO ROLE {{ML_ROLE}};
