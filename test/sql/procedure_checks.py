"""Checks of a Python stored procedure's code, without Snowflake.

- The definition compiles under Python 3.11 (the procedures' runtimeVersion), and so
  does every module source it embeds (string constants that are Python modules, such as
  the bundled ml/ package: ``_SOURCES = {"churn_ml.steps": "..."}``).
- ``handler`` is a top-level function of the definition taking the declared arguments
  plus the Snowpark session (defaults and *args may absorb extra ones).
- ``from <embedded module> import name`` names something the embedded module defines.
- Every top-level package imported anywhere (definition and embedded sources, lazy
  imports inside functions included) is the standard library, one of the embedded
  modules, a module Snowflake provides (``_snowflake``), or covered by a declared package
  (``packages`` and ``snowparkPackage``).
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from dataclasses import dataclass, field

from declared import Resource

#: Import name -> distribution, where they differ (the rest: lower case, _ -> -).
DISTRIBUTIONS = {
    "sklearn": "scikit-learn",
    "snowflake.snowpark": "snowflake-snowpark-python",
    "snowflake.ml": "snowflake-ml-python",
    "snowflake.connector": "snowflake-connector-python",
    "snowflake.cortex": "snowflake-ml-python",
    "yaml": "pyyaml",
    "dateutil": "python-dateutil",
    "PIL": "pillow",
    "cv2": "opencv-python",
    "bs4": "beautifulsoup4",
}
#: Modules the Snowflake Python runtime provides to every procedure.
SNOWFLAKE_PROVIDED = {"_snowflake"}
#: Distributions a declared package brings in (Snowflake's Anaconda resolver installs them).
IMPLIED = {"snowflake-snowpark-python": {"snowflake-connector-python"}, "snowflake-ml-python": {"snowflake-snowpark-python"}}

_PACKAGE_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass
class ProcedureCode:
    procedure: Resource
    definition: ast.Module | None = None
    embedded: dict[str, ast.Module] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def distribution(module: str) -> str:
    parts = module.split(".")
    for depth in (2, 1):
        key = ".".join(parts[:depth])
        if key in DISTRIBUTIONS:
            return DISTRIBUTIONS[key]
    return parts[0].lower().replace("_", "-")


def declared_distributions(procedure: Resource) -> set[str]:
    out = set()
    for spec in procedure.inputs.get("packages") or []:
        m = _PACKAGE_NAME.match(spec)
        if m:
            out.add(m.group(1).lower().replace("_", "-"))
    if procedure.inputs.get("snowparkPackage"):
        out.add("snowflake-snowpark-python")
    for dist in list(out):
        out |= IMPLIED.get(dist, set())
    return out


@functools.lru_cache(maxsize=256)
def _compile(source: str, filename: str) -> ast.Module:
    """Every procedure of a stack embeds the same modules: compile each source once.
    Callers only read the tree."""
    # compile() checks what ast.parse alone does not (e.g. return outside a function).
    compile(source, filename, "exec", dont_inherit=True)
    return ast.parse(source, filename=filename, feature_version=(3, 11))


def _embedded_sources(tree: ast.Module) -> dict[str, str]:
    """String constants that are Python modules; named by their dict key when they have one."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if re.fullmatch(r"[A-Za-z_][\w.]*", key.value) and ("\n" in value.value or value.value.startswith(('"""', "import", "from"))):
                        found[key.value] = value.value
    return found


def load(procedure: Resource) -> ProcedureCode:
    code = ProcedureCode(procedure)
    definition = procedure.inputs.get("procedureDefinition") or ""
    try:
        code.definition = _compile(definition, f"<{procedure.label} procedureDefinition>")
    except SyntaxError as err:
        code.problems.append(f"{procedure.label}: procedureDefinition does not compile under Python 3.11: {err.msg} (line {err.lineno})")
        return code
    for name, source in _embedded_sources(code.definition).items():
        try:
            code.embedded[name] = _compile(source, name.replace(".", "/") + ".py")
        except SyntaxError as err:
            code.problems.append(f"{procedure.label}: embedded module {name} does not compile under Python 3.11: {err.msg} (line {err.lineno})")
    return code


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def check_handler(code: ProcedureCode) -> list[str]:
    p = code.procedure
    handler = p.inputs.get("handler") or ""
    if code.definition is None:
        return []
    functions = {n.name: n for n in code.definition.body if isinstance(n, ast.FunctionDef)}
    if handler not in functions:
        near = [f for f in functions if not f.startswith("_")]
        return [f"{p.label}: handler {handler!r} is not a top-level function of its procedureDefinition (top-level functions: {', '.join(near) or 'none'})"]
    args = functions[handler].args
    positional = args.posonlyargs + args.args
    required = len(positional) - len(args.defaults)
    expected = len(p.inputs.get("arguments") or []) + 1
    if args.vararg is None and not (required <= expected <= len(positional)):
        return [f"{p.label}: handler {handler!r} takes {len(positional)} positional parameter(s) ({required} required); Snowflake passes {expected} (the session + {expected - 1} declared argument(s))"]
    return []


def check_imports(code: ProcedureCode) -> list[str]:
    p = code.procedure
    if code.definition is None:
        return []
    local_modules = set(code.embedded)
    local_top = {m.split(".")[0] for m in local_modules}
    packages = declared_distributions(p)
    problems: list[str] = []
    trees = [("procedureDefinition", code.definition)] + [(f"embedded {n}", t) for n, t in code.embedded.items()]
    for where, tree in trees:
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
                if node.module in local_modules:
                    defined = _top_level_names(code.embedded[node.module])
                    for alias in node.names:
                        if alias.name != "*" and alias.name not in defined and f"{node.module}.{alias.name}" not in local_modules:
                            problems.append(f"{p.label}: {where} imports {alias.name!r} from {node.module}, which does not define it")
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top in SNOWFLAKE_PROVIDED or module in local_modules or top in local_top:
                    if top in local_top and module not in local_modules and top not in sys.stdlib_module_names:
                        problems.append(f"{p.label}: {where} imports {module}, which is not among the embedded modules")
                    continue
                if top == "__future__":
                    continue
                dist = distribution(module)
                if dist not in packages:
                    problems.append(f"{p.label}: {where} imports {module} (distribution {dist}), which the procedure's packages do not declare: {sorted(packages)}")
    return sorted(set(problems))


def check_procedure(procedure: Resource) -> list[str]:
    code = load(procedure)
    return code.problems + check_handler(code) + check_imports(code)
