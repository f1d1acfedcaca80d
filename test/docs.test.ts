/** The README's generated parts and commands stay true to their sources. */
import * as fs from "fs";
import * as path from "path";
import { GENERATED_FILES, withGeneratedSections } from "../tools/docsTables";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

test.each(GENERATED_FILES)("the generated tables of %s are up to date with Pulumi.yaml and the stack files (npm run docs:tables)", (file) => {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    expect(text).toBe(withGeneratedSections(file, text));
});

test("the quick start's two commands exist, and CI runs the README's test command", () => {
    expect(readme).toContain("bash scripts/demo.sh");
    expect(readme).toContain("bash scripts/test.sh");
    expect(fs.readFileSync(path.join(root, ".ci", "run"), "utf8")).toContain("bash scripts/test.sh");
    const ci = fs.readFileSync(path.join(root, ".github", "workflows", "ci.yml"), "utf8");
    expect(ci).toContain("bash scripts/test.sh");
});

test("every npm script the README names exists", () => {
    const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts);
    for (const [, name] of readme.matchAll(/npm run (?:-s )?([\w:]+)/g)) expect(scripts).toContain(name);
});
