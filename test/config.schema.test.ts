/**
 * Pulumi.yaml (types, descriptions, defaults) and stacks/config.ts (validation) must name
 * the same keys, and every stack file must give the keys that have no default.
 */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT, readPlatformConfig } from "../stacks/config";
import { loadStackConfig, readProjectFile, readStackFile } from "../tools/stackConfig";
import { STACKS } from "./support/stacks";

function keysReadByProgram(stack: string): string[] {
    const { values } = loadStackConfig(stack);
    const read = new Set<string>();
    readPlatformConfig(stack, {
        get: (k) => {
            read.add(k);
            return k === "snowflakePrivateKey" ? "secret" : values[`${PROJECT}:${k}`];
        },
        getSecret: (k) => {
            read.add(k);
            return pulumi.secret("secret");
        },
    });
    return [...read].sort();
}

describe("configuration schema", () => {
    const project = readProjectFile();

    test("Pulumi.yaml declares exactly the keys the program reads", () => {
        expect(Object.keys(project.config).sort()).toEqual(keysReadByProgram("dev"));
    });

    test("every key has a type and a description", () => {
        for (const [key, spec] of Object.entries(project.config)) {
            expect({ key, type: typeof spec.type, description: typeof spec.description }).toEqual({ key, type: "string", description: "string" });
        }
    });

    test.each(STACKS)("Pulumi.%s.yaml sets every key without a default (except the secret) and no unknown key", (stack) => {
        const file = readStackFile(stack);
        const required = Object.entries(project.config)
            .filter(([, spec]) => spec.default === undefined && !spec.secret)
            .map(([k]) => `${PROJECT}:${k}`);
        for (const key of required) expect(Object.keys(file)).toContain(key);
        for (const key of Object.keys(file)) expect(Object.keys(project.config)).toContain(key.replace(`${PROJECT}:`, ""));
    });
});
