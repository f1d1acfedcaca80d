-- The warehouse every Snowflake provider of stack {{STACK}} connects with. Provider v1.2.1 reads
-- views and tags back through INFORMATION_SCHEMA.POLICY_REFERENCES, which needs a running
-- warehouse; the stack's own warehouse cannot serve, because it does not exist at the first preview.
USE ROLE SYSADMIN;

CREATE WAREHOUSE IF NOT EXISTS {{CONNECTION_WAREHOUSE}}
  WAREHOUSE_SIZE = XSMALL
  AUTO_SUSPEND = 60
  AUTO_RESUME = TRUE
  INITIALLY_SUSPENDED = TRUE
  COMMENT = 'Connection warehouse of Pulumi stack {{STACK}} ({{ENV}}): metadata queries of deploys and previews. Bootstrap.';

-- Re-applied on every run: a warehouse changed by hand returns to the bootstrap's settings.
ALTER WAREHOUSE {{CONNECTION_WAREHOUSE}} SET
  WAREHOUSE_SIZE = XSMALL
  AUTO_SUSPEND = 60
  AUTO_RESUME = TRUE;

GRANT USAGE ON WAREHOUSE {{CONNECTION_WAREHOUSE}} TO ROLE {{DEPLOY_ROLE}};
GRANT USAGE ON WAREHOUSE {{CONNECTION_WAREHOUSE}} TO ROLE {{PREVIEW_ROLE}};
GRANT USAGE ON WAREHOUSE {{CONNECTION_WAREHOUSE}} TO ROLE {{ML_ROLE}};
