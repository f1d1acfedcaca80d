"""Python stored procedures: handler, Python 3.11 syntax, imports covered by packages."""

from __future__ import annotations

import pytest
from declared import DeclaredStack, is_procedure
from procedure_checks import check_procedure, load


def test_procedures_compile_have_their_handler_and_declare_their_imports(declared: DeclaredStack) -> None:
    procedures = [r for r in declared.resources if is_procedure(r.type) and r.type.endswith("ProcedurePython")]
    if not procedures:
        pytest.skip(f"NOT CHECKED: {declared.stack} declares no ProcedurePython yet")
    problems = [p for r in procedures for p in check_procedure(r)]
    assert not problems, "\n".join(problems)


def test_embedded_package_is_seen(declared: DeclaredStack) -> None:
    """The import check walks the bundled ml/ sources, not only the thin handler file."""
    procedures = [r for r in declared.resources if r.type.endswith("ProcedurePython")]
    if not procedures:
        pytest.skip(f"NOT CHECKED: {declared.stack} declares no ProcedurePython yet")
    for r in procedures:
        code = load(r)
        if "churn_ml" in (r.inputs.get("procedureDefinition") or ""):
            assert code.embedded, f"{r.label}: mentions churn_ml but no embedded module sources were found"
