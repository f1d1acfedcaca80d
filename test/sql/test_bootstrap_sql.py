"""The bootstrap files parse under sqlglot's Snowflake dialect and every name in them resolves
(roles, users, warehouses, resource monitors), per stack; and the checker catches a broken copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from bootstrap_sql import REPO, check_stack, parse_files
from declared import DeclaredStack


def test_bootstrap_parses_and_resolves(declared: DeclaredStack) -> None:
    check = check_stack(declared)
    assert check.statements, f"{declared.stack}: no bootstrap statement parsed"
    assert not check.findings, "\n".join(check.findings)


def test_bootstrap_creates_what_the_providers_log_in_with(declared: DeclaredStack) -> None:
    """Every Snowflake provider's user, role and warehouse come from the bootstrap."""
    check = check_stack(declared)
    providers = declared.of_type("pulumi:providers:snowflake")
    assert providers, f"{declared.stack}: no Snowflake provider exported"
    for p in providers:
        i = p.inputs
        assert i.get("user") in check.users, f"{p.label}: user {i.get('user')} is not created by bootstrap/{declared.stack}/"
        assert i.get("role") in check.roles, f"{p.label}: role {i.get('role')} is not created by bootstrap/{declared.stack}/"
        assert i.get("warehouse") in check.warehouses, f"{p.label}: warehouse {i.get('warehouse')} is not created by bootstrap/{declared.stack}/"


def test_only_known_statement_kinds(declared: DeclaredStack) -> None:
    kinds = {s.kind for s in parse_files(declared.stack).statements}
    assert kinds <= {"Use", "Create", "Grant", "Command"}, kinds


def _broken_copy(tmp_path: Path, stack: str, file: str, old: str, new: str) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "bootstrap" / stack, root / "bootstrap" / stack)
    target = root / "bootstrap" / stack / file
    text = target.read_text()
    assert old in text, f"{file} has no {old!r} to break"
    target.write_text(text.replace(old, new, 1))
    return root


def test_a_misspelled_role_is_named(declared: DeclaredStack, tmp_path: Path) -> None:
    env = declared.stack.upper()
    root = _broken_copy(tmp_path, declared.stack, "02_connection_warehouse.sql", f"TO ROLE PULUMI_{env}_PREVIEW_ROLE", f"TO ROLE PULUMI_{env}_PREVEIW_ROLE")
    findings = check_stack(declared, root).findings
    assert any(f"role PULUMI_{env}_PREVEIW_ROLE is not created earlier in bootstrap/{declared.stack}/" in f for f in findings), findings


def test_a_warehouse_the_stack_does_not_declare_is_named(declared: DeclaredStack, tmp_path: Path) -> None:
    warehouse = declared.setting("warehouseName")
    root = _broken_copy(tmp_path, declared.stack, "05_resource_monitor.sql", f"ALTER WAREHOUSE IF EXISTS {warehouse} ", "ALTER WAREHOUSE IF EXISTS OTHER_WH ")
    findings = check_stack(declared, root).findings
    assert any("warehouse OTHER_WH is not created earlier" in f for f in findings), findings


def test_a_syntax_error_is_reported(declared: DeclaredStack, tmp_path: Path) -> None:
    root = _broken_copy(tmp_path, declared.stack, "04_account_privileges.sql", "GRANT CREATE DATABASE", "GRANT CREATE DATABASE ((")
    findings = check_stack(declared, root).findings
    assert any(f.startswith(f"bootstrap/{declared.stack}/04_account_privileges.sql: does not parse under sqlglot's Snowflake dialect") for f in findings), findings
