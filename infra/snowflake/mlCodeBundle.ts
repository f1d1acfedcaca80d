/**
 * Turns the Python package in ml/src/churn_ml into the inline definition of a stored
 * procedure, and derives the packages the procedure must declare from what the code
 * imports (pins from ml/requirements*.txt).
 *
 * Why inline rather than staged imports: provider 1.3.0 has no resource that uploads a
 * file to a stage, so staged code would be uploaded outside Pulumi and a change to ml/
 * would not be a change to the stack. Inline, the module sources travel in
 * `procedureDefinition`: `pulumi preview` shows a change to ml/ as a procedure update,
 * and `pulumi up` replaces code and procedure together.
 */
import * as fs from "fs";
import * as path from "path";

export const ML_ROOT = path.resolve(__dirname, "..", "..", "ml");
const PACKAGE = "churn_ml";

/** Import name (top-level or dotted) -> distribution on Snowflake's Anaconda channel. */
const DISTRIBUTION_OF_IMPORT: Record<string, string> = {
    numpy: "numpy",
    pandas: "pandas",
    sklearn: "scikit-learn",
    scipy: "scipy",
    joblib: "joblib",
    yaml: "pyyaml",
    matplotlib: "matplotlib",
    "snowflake.snowpark": "snowflake-snowpark-python",
    "snowflake.ml": "snowflake-ml-python",
};

/** Standard-library modules the package may import (Python 3.11). */
const STDLIB = new Set(
    ("__future__ abc argparse collections contextlib copy csv dataclasses datetime decimal enum functools hashlib " +
        "html importlib io itertools json logging math numbers os pathlib platform random re resource shutil statistics " +
        "string sys tempfile textwrap time traceback typing uuid warnings zlib base64 gzip operator").split(" "),
);

export interface PythonModule {
    /** Dotted module name, e.g. churn_ml.steps. */
    name: string;
    /** Path relative to the repository root. */
    file: string;
    source: string;
}

function moduleFile(name: string): string {
    const rel = name === PACKAGE ? path.join(PACKAGE, "__init__.py") : path.join(...name.split(".")) + ".py";
    return path.join(ML_ROOT, "src", rel);
}

/** Every `import x` / `from x import y` of a source, including those inside functions. */
export function importsOf(source: string): string[] {
    const found: string[] = [];
    for (const line of source.split("\n")) {
        const from = /^\s*from\s+([\w.]+)\s+import\s+(.+)$/.exec(line);
        if (from) {
            found.push(from[1]);
            // `from churn_ml import steps` imports the module churn_ml.steps.
            if (from[1] === PACKAGE) {
                for (const n of from[2].replace(/[()]/g, "").split(",")) found.push(`${PACKAGE}.${n.trim().split(/\s+/)[0]}`);
            }
            continue;
        }
        const imp = /^\s*import\s+([\w.]+(?:\s*,\s*[\w.]+)*)/.exec(line);
        if (imp) for (const n of imp[1].split(",")) found.push(n.trim());
    }
    return found;
}

/** The package's modules reachable from `entry` (e.g. churn_ml.procedures), in a stable order. */
export function modulesReachableFrom(entry: string): PythonModule[] {
    const seen = new Map<string, PythonModule>();
    const visit = (name: string) => {
        if (seen.has(name)) return;
        const file = moduleFile(name);
        if (!fs.existsSync(file)) return; // `from churn_ml import some_function`, not a module
        const source = fs.readFileSync(file, "utf8");
        seen.set(name, { name, file: path.relative(path.dirname(ML_ROOT), file), source });
        for (const imported of importsOf(source)) if (imported === PACKAGE || imported.startsWith(`${PACKAGE}.`)) visit(imported);
    };
    visit(PACKAGE);
    visit(entry);
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** `name==version` pins of a requirements file, by lower-case name. */
export function readPins(file: string): Map<string, string> {
    const pins = new Map<string, string>();
    for (const raw of fs.readFileSync(path.join(ML_ROOT, file), "utf8").split("\n")) {
        const line = raw.replace(/#.*/, "").trim();
        if (!line || line.startsWith("-r")) continue;
        const m = /^([A-Za-z0-9._-]+)==([A-Za-z0-9.+-]+)$/.exec(line);
        if (!m) throw new Error(`ml/${file}: "${line}" is not a name==version pin`);
        pins.set(m[1].toLowerCase(), m[2]);
    }
    return pins;
}

export interface ProcedurePackages {
    /** Version of snowflake-snowpark-python (the provider's `snowparkPackage`). */
    snowparkVersion: string;
    /** Other packages as `name==version`, sorted. */
    packages: string[];
}

/** The distributions the modules import, pinned as in ml/requirements*.txt. */
export function packagesFor(modules: PythonModule[]): ProcedurePackages {
    const pins = new Map([...readPins("requirements.txt"), ...readPins("requirements-snowflake.txt")]);
    const distributions = new Set<string>(["snowflake-snowpark-python"]);
    for (const m of modules) {
        for (const imported of importsOf(m.source)) {
            const top = imported.split(".")[0];
            if (top === PACKAGE || STDLIB.has(top)) continue;
            const dist = DISTRIBUTION_OF_IMPORT[imported] ?? DISTRIBUTION_OF_IMPORT[imported.split(".").slice(0, 2).join(".")] ?? DISTRIBUTION_OF_IMPORT[top];
            if (!dist) throw new Error(`${m.file} imports ${imported}, which no procedure package provides: add it to DISTRIBUTION_OF_IMPORT in infra/snowflake/mlCodeBundle.ts and pin it in ml/requirements.txt`);
            distributions.add(dist);
        }
    }
    const pinned = (d: string) => {
        const v = pins.get(d);
        if (!v) throw new Error(`The procedures need ${d}, which ml/requirements.txt and ml/requirements-snowflake.txt do not pin`);
        return v;
    };
    const snowparkVersion = pinned("snowflake-snowpark-python");
    distributions.delete("snowflake-snowpark-python");
    return { snowparkVersion, packages: [...distributions].sort().map((d) => `${d}==${pinned(d)}`) };
}

/** A Python string literal (JSON string syntax is valid Python). */
const pyString = (s: string) => JSON.stringify(s);

/**
 * The procedure definition: the package's sources, an import hook that serves them, and a
 * handler `def` that calls `entry.function` with the procedure's arguments.
 */
export function procedureDefinition(modules: PythonModule[], entry: string, fn: string, handler: string, argNames: string[], bound: Record<string, string> = {}): string {
    const params = ["session", ...argNames].join(", ");
    // Keyword arguments fixed in the code, not taken from the caller (e.g. the loader's table).
    const call = [params, ...Object.entries(bound).map(([k, value]) => `${k}=${pyString(value)}`)].join(", ");
    return [
        `# Generated by the Pulumi program from ml/src/${PACKAGE} (${modules.length} modules); edit ml/, not this procedure.`,
        "import importlib.abc",
        "import importlib.util",
        "import sys",
        "",
        "_SOURCES = {",
        ...modules.map((m) => `    ${pyString(m.name)}: ${pyString(m.source)},`),
        "}",
        "",
        "",
        "class _BundledSources(importlib.abc.MetaPathFinder, importlib.abc.Loader):",
        "    def find_spec(self, fullname, path=None, target=None):",
        "        if fullname not in _SOURCES:",
        "            return None",
        `        return importlib.util.spec_from_loader(fullname, self, is_package=fullname == ${pyString(PACKAGE)})`,
        "",
        "    def create_module(self, spec):",
        "        return None",
        "",
        "    def exec_module(self, module):",
        "        name = module.__name__",
        `        exec(compile(_SOURCES[name], "ml/src/" + name.replace(".", "/") + ".py", "exec"), module.__dict__)`,
        "",
        "",
        "if not any(isinstance(f, _BundledSources) for f in sys.meta_path):",
        "    sys.meta_path.insert(0, _BundledSources())",
        "",
        "",
        `def ${handler}(${params}):`,
        `    from ${entry} import ${fn}`,
        "",
        `    return ${fn}(${call})`,
        "",
    ].join("\n");
}
