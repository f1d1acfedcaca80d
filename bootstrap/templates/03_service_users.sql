-- The service users of stack {{STACK}}: key-pair authentication only, no password. Each key is
-- set by an administrator by hand (README, "Keys and rotation"); without one nobody can log in.
-- DEFAULT_SECONDARY_ROLES = (): a new user defaults to ('ALL'), which would make every role
-- granted to it active in every session of every provider.
USE ROLE USERADMIN;

CREATE USER IF NOT EXISTS {{DEPLOY_USER}}
  TYPE = SERVICE
  DEFAULT_ROLE = {{DEPLOY_ROLE}}
  DEFAULT_WAREHOUSE = {{CONNECTION_WAREHOUSE}}
  DEFAULT_SECONDARY_ROLES = ()
  COMMENT = 'CI identity that deploys Pulumi stack {{STACK}} ({{ENV}}); key pair only. Bootstrap.';
ALTER USER IF EXISTS {{DEPLOY_USER}} SET
  TYPE = SERVICE
  DEFAULT_ROLE = {{DEPLOY_ROLE}}
  DEFAULT_WAREHOUSE = {{CONNECTION_WAREHOUSE}}
  DEFAULT_SECONDARY_ROLES = ();
GRANT ROLE {{DEPLOY_ROLE}} TO USER {{DEPLOY_USER}};

CREATE USER IF NOT EXISTS {{PREVIEW_USER}}
  TYPE = SERVICE
  DEFAULT_ROLE = {{PREVIEW_ROLE}}
  DEFAULT_WAREHOUSE = {{CONNECTION_WAREHOUSE}}
  DEFAULT_SECONDARY_ROLES = ()
  COMMENT = 'CI identity that previews Pulumi stack {{STACK}} ({{ENV}}), read-only; key pair only. Bootstrap.';
ALTER USER IF EXISTS {{PREVIEW_USER}} SET
  TYPE = SERVICE
  DEFAULT_ROLE = {{PREVIEW_ROLE}}
  DEFAULT_WAREHOUSE = {{CONNECTION_WAREHOUSE}}
  DEFAULT_SECONDARY_ROLES = ();
GRANT ROLE {{PREVIEW_ROLE}} TO USER {{PREVIEW_USER}};
