/**
 * The bulk-import file of `pulumi import --file` for the resources a stack adopts.
 *
 * Format: pkg/cmd/pulumi/operations/import.go of pulumi/pulumi v3.248.0 (importFile,
 * importSpec, parseImportFile): `resources[]` of {type, name, id, parent, provider,
 * version, logicalName, component}; `parent` names another entry of the file (or of
 * `nameTable`), `provider` names an entry of `nameTable` (name -> provider URN); a
 * component entry has no id. `providerInputs` (name -> serialized inputs) lets the import
 * create an explicit provider that is not yet in state with the program's configuration
 * (pkg/resource/deploy/import.go registerProviders); without it the provider would be
 * created with empty inputs. The URN of each entry is built like the engine builds the
 * program's: parent type chain + type + logical name (resource.NewURN), so the adopted
 * resources sit where a fresh `pulumi up` would put them and the next `up` finds them.
 */
import * as fs from "fs";
import * as path from "path";
import { Evaluation, RecordedResource } from "../evaluate";
import { AdoptionReport } from "./compare";

export interface ImportSpec {
    type: string;
    name: string;
    id?: string;
    parent?: string;
    provider?: string;
    version?: string;
    logicalName?: string;
    component?: boolean;
}

export interface ImportFile {
    nameTable: Record<string, string>;
    resources: ImportSpec[];
    providerInputs?: Record<string, Record<string, unknown>>;
}

/** The signature key of a secret value in Pulumi's property serialization. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Version of the installed SDK package of `type`'s provider, which the program runs with. */
export function providerVersion(type: string): string | undefined {
    const pkg = type.startsWith("pulumi:providers:") ? type.split(":")[2] : type.split(":")[0];
    if (pkg === "mlplatform" || pkg === "pulumi") return undefined;
    const file = require.resolve(`@pulumi/${pkg}/package.json`, { paths: [path.join(__dirname, "..", "..")] });
    return JSON.parse(fs.readFileSync(file, "utf8")).version;
}

export interface BuiltImportFile {
    file: ImportFile;
    /** Things the reader must know about the file (secrets left out, ...). */
    notes: string[];
}

/** The import file of the resources `report` adopts with an import ID. */
export function buildImportFile(ev: Evaluation, report: AdoptionReport): BuiltImportFile {
    const byUrn = new Map(ev.resources.map((r) => [r.urn, r]));
    const imported = report.adopted.filter((a) => a.importId !== undefined);
    const idOf = new Map(imported.map((a) => [a.resource.urn, a.importId!]));

    // The adopted resources and every component above them, parents first.
    const included = new Set<string>();
    const include = (r: RecordedResource) => {
        if (included.has(r.urn)) return;
        if (r.parent) {
            const parent = byUrn.get(r.parent);
            if (!parent) throw new Error(`${r.urn}: parent ${r.parent} was not registered`);
            include(parent);
        }
        included.add(r.urn);
    };
    for (const a of imported) include(a.resource);
    const ordered = ev.resources.filter((r) => included.has(r.urn));
    ordered.sort((a, b) => depth(a, byUrn) - depth(b, byUrn) || a.urn.localeCompare(b.urn));

    // Entry names must be unique; a logical name used twice gets its type appended.
    const count = new Map<string, number>();
    for (const r of ordered) count.set(r.name, (count.get(r.name) ?? 0) + 1);
    const entryName = new Map(ordered.map((r) => [r.urn, count.get(r.name)! > 1 ? `${r.name}-${r.type.split(":").pop()}` : r.name]));

    const nameTable: Record<string, string> = {};
    const providerInputs: Record<string, Record<string, unknown>> = {};
    const notes: string[] = [];
    const resources: ImportSpec[] = ordered.map((r) => {
        const spec: ImportSpec = { type: r.type, name: entryName.get(r.urn)! };
        if (entryName.get(r.urn) !== r.name) spec.logicalName = r.name;
        if (r.parent) spec.parent = entryName.get(r.parent);
        if (!r.custom) {
            spec.component = true;
            return spec;
        }
        spec.id = idOf.get(r.urn);
        if (r.provider) {
            const provider = byUrn.get(r.provider);
            if (!provider) throw new Error(`${r.urn}: provider ${r.provider} was not registered`);
            if (entryName.has(provider.urn) || [...entryName.values()].includes(provider.name)) throw new Error(`provider name ${provider.name} is also a resource of the import file`);
            nameTable[provider.name] = provider.urn;
            spec.provider = provider.name;
            if (!providerInputs[provider.name]) providerInputs[provider.name] = plainInputs(provider, notes);
        }
        const version = providerVersion(r.type);
        if (version) spec.version = version;
        return spec;
    });
    return { file: { nameTable, resources, providerInputs }, notes };
}

function depth(r: RecordedResource, byUrn: Map<string, RecordedResource>): number {
    let d = 0;
    for (let p = r.parent; p; p = byUrn.get(p)?.parent) d++;
    return d;
}

/**
 * A provider's inputs as the program gives them, without secrets: the import file would
 * need them encrypted with the stack's secrets provider, which only the CLI holds. Per the
 * project's contract the Snowflake key and the GitHub token reach the providers from the
 * job's environment, so the import's providers authenticate the same way: the Snowflake
 * provider's `private_key` defaults to SNOWFLAKE_PRIVATE_KEY (terraform-provider-snowflake
 * v1.2.1 pkg/provider/provider.go, schema.EnvDefaultFunc), the GitHub provider's token to
 * GITHUB_TOKEN. When the first `up` then gives a provider an input the file left out, the
 * provider is updated, not replaced: the bridge replaces a provider (and with it every
 * resource it manages) only for fields marked ForcesProviderReplace
 * (pulumi-terraform-bridge#1683), and neither pulumi-snowflake v1.3.0 nor pulumi-github
 * v6.15.0 (provider/resources.go) marks any.
 */
function plainInputs(provider: RecordedResource, notes: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(provider.inputs)) {
        if (value === undefined) continue;
        if (value !== null && typeof value === "object" && SECRET_SIG in (value as object)) {
            notes.push(`provider ${provider.name}: secret input "${key}" is not written to the import file; the provider reads it from the environment during the import`);
            continue;
        }
        out[key] = value;
    }
    return out;
}
