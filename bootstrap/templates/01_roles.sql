-- Roles of the {{ENV}} environment: what stack {{STACK}} logs in as, before its first preview.
-- Pulumi configures every provider during preview and the Snowflake provider opens a
-- session then, so no role a provider uses may be created by the stack itself.
USE ROLE USERADMIN;

-- Deploys stack {{STACK}}; owns every object the stack creates, and nothing of another environment.
CREATE ROLE IF NOT EXISTS {{DEPLOY_ROLE}}
  COMMENT = 'Deploys Pulumi stack {{STACK}} ({{ENV}}): owns the {{ENV}} objects. Bootstrap, bootstrap/{{STACK}}/.';

-- Previews stack {{STACK}}: logs in, uses the connection warehouse, sees the resource monitor; changes nothing.
CREATE ROLE IF NOT EXISTS {{PREVIEW_ROLE}}
  COMMENT = 'Read-only: previews Pulumi stack {{STACK}} ({{ENV}}). Bootstrap, bootstrap/{{STACK}}/.';

-- Owns and runs the {{ENV}} pipeline. The stack's pipeline provider logs in as this role (so the
-- procedures, tasks and alerts are owned by the role that runs them), hence it exists first;
-- the stack manages its privileges.
CREATE ROLE IF NOT EXISTS {{ML_ROLE}}
  COMMENT = '{{ENV}} ML pipeline: owns and runs the task graph. Privileges managed by Pulumi stack {{STACK}}.';

-- The deploy user reaches the ML role through its own role (no direct grant to the user), and
-- the deploy role inherits what the ML role owns.
GRANT ROLE {{ML_ROLE}} TO ROLE {{DEPLOY_ROLE}};

-- Administrators (SYSADMIN) see and manage what the environment's roles own. This grants the
-- CI roles to SYSADMIN, never SYSADMIN to them.
GRANT ROLE {{DEPLOY_ROLE}} TO ROLE SYSADMIN;
GRANT ROLE {{PREVIEW_ROLE}} TO ROLE SYSADMIN;
