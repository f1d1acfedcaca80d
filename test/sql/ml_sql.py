"""The SQL that ml/ (churn_ml.snowflake_sql) sends to Snowflake from inside the procedures.

Collected from the module when it exists: ``all_statements(ml_db)`` if the module offers
it, otherwise every module-level string constant and every builder function whose
parameters are all database names it can fill in (``ml_db``, ``raw_db``).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from types import ModuleType

from declared import TABLE, DeclaredStack
from sql_references import SqlText

REPO = Path(__file__).resolve().parents[2]
ML_SRC = REPO / "ml" / "src"
MODULE = "churn_ml.snowflake_sql"
MODULE_FILE = ML_SRC / "churn_ml" / "snowflake_sql.py"


def load_module() -> ModuleType | None:
    if not MODULE_FILE.exists():
        return None
    if str(ML_SRC) not in sys.path:
        sys.path.insert(0, str(ML_SRC))
    return importlib.import_module(MODULE)


def database_of(declared: DeclaredStack, table: str, default: str) -> str:
    """The database holding the declared table `table` (the names ml/ writes to)."""
    for r in declared.of_type(TABLE):
        if r.inputs.get("name") == table:
            return r.inputs["database"]
    return default


def databases(declared: DeclaredStack) -> dict[str, str]:
    env = declared.setting("env")
    return {
        "ml_db": database_of(declared, "PREDICTIONS", f"{env}_ML_DB"),
        "raw_db": database_of(declared, "CUSTOMERS", f"{env}_RAW_DB"),
    }


def ml_sql(declared: DeclaredStack, module: ModuleType) -> list[SqlText]:
    dbs = databases(declared)
    origin = f"{declared.stack}: ml/src/churn_ml/snowflake_sql.py"
    texts: list[SqlText] = []
    if hasattr(module, "all_statements"):
        params = inspect.signature(module.all_statements).parameters
        kwargs = {k: v for k, v in dbs.items() if k in params}
        for i, sql in enumerate(module.all_statements(**kwargs)):
            texts.append(SqlText(declared.stack, origin, f"all_statements()[{i}]", "statement", sql))
        return texts
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, str) and name.isupper():
            texts.append(SqlText(declared.stack, origin, name, "statement", value))
        elif inspect.isfunction(value) and value.__module__ == module.__name__:
            params = inspect.signature(value).parameters
            if params and all(p in dbs for p in params):
                sql = value(**{p: dbs[p] for p in params})
                if isinstance(sql, str):
                    texts.append(SqlText(declared.stack, origin, f"{name}()", "statement", sql))
    return texts
