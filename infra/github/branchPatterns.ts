/**
 * GitHub reads branch patterns in two languages, and a stack's deploy branch is used in both:
 *
 * - Workflow filters (`on.push.branches`): `*` matches any characters except `/`, `**` any
 *   characters including `/` (docs.github.com, "Workflow syntax: filter pattern cheat sheet").
 * - Deployment branch policies of environments and branch protection rules: Ruby
 *   `File.fnmatch` with `File::FNM_PATHNAME`, where no wildcard matches `/`; only `**` followed
 *   by `/` matches zero or more whole path segments (GitHub REST API,
 *   "deployment-branch-policy-name-pattern": "Wildcard characters will not match `/` ... use
 *   `release/*` + `/*`"; branch protection docs: "qa/**" + "/*" for several slashes; Ruby
 *   dir.c `fnmatch`, which skips `**` + `/` over directories only under FNM_PATHNAME).
 *
 * So `release/**` as a filter deploys `release/2025.01/hotfix`, but the same text as a policy
 * admits only `release/<one segment>`. The stack file holds the filter form (`deployBranch`);
 * the policy and protection form is derived here, and test/github.branches.test.ts checks both
 * languages against a table of branch names.
 */

/**
 * The deploy-branch shapes whose meaning both languages can express exactly: a branch name,
 * or literal segments followed by `*` (exactly one more segment) or `**` (one or more).
 * Segments follow git's ref rules: no leading `.`, no `..`, no glob characters.
 */
export const DEPLOY_BRANCH_SHAPE = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*\/)*(?:[A-Za-z0-9_-][A-Za-z0-9._-]*|\*|\*\*)$/;
export const DEPLOY_BRANCH_SHAPE_TEXT = "a branch name (e.g. main), or path segments ending in /* (exactly one more segment, e.g. feature/*) or /** (any depth, e.g. release/**); no other wildcards";

export function isDeployBranchShape(pattern: string): boolean {
    return DEPLOY_BRANCH_SHAPE.test(pattern) && !pattern.includes("..") && pattern !== "*" && pattern !== "**";
}

/** The workflow-filter pattern (`on.push.branches`) for a deploy branch: the stack file's text. */
export function workflowFilterPattern(deployBranch: string): string {
    assertShape(deployBranch);
    return deployBranch;
}

/**
 * The `File.fnmatch(FNM_PATHNAME)` pattern admitting exactly the branches the workflow filter
 * `deployBranch` triggers on: a trailing `/**` becomes `/**` + `/*` (one or more segments).
 */
export function fnmatchPattern(deployBranch: string): string {
    assertShape(deployBranch);
    return deployBranch.endsWith("/**") ? `${deployBranch}/*` : deployBranch;
}

function assertShape(pattern: string) {
    if (!isDeployBranchShape(pattern)) throw new Error(`Branch pattern ${JSON.stringify(pattern)} is not supported; allowed: ${DEPLOY_BRANCH_SHAPE_TEXT}`);
}

/**
 * GitHub's workflow filter match (`on.push.branches`), for the characters the filters of
 * this repository may use: `**` any characters, `*` any except `/`, `?` zero or one of the
 * preceding character, `+` one or more of it. `[...]` and `!` are not modelled: throws.
 */
export function filterMatches(pattern: string, branch: string): boolean {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "*" && pattern[i + 1] === "*") {
            re += ".*";
            i++;
        } else if (c === "*") re += "[^/]*";
        else if (c === "?" || c === "+") re += c;
        else if (c === "[" || c === "!" || c === "\\") throw new Error(`filterMatches: ${JSON.stringify(c)} in ${pattern} is not modelled`);
        else re += c.replace(/[.^${}()|\]]/g, "\\$&");
    }
    return new RegExp(`^${re}$`).test(branch);
}

/**
 * Ruby `File.fnmatch(pattern, branch, File::FNM_PATHNAME)` (no FNM_DOTMATCH, no FNM_EXTGLOB,
 * case-sensitive), following ruby/ruby dir.c: the pattern and the name are compared segment by
 * segment; inside a segment `*` matches any run, `?` one character, `[...]` a set (`!`/`^`
 * negates); a segment `**` that is followed by `/` matches zero or more whole segments; a
 * wildcard never matches a leading `.` of a segment.
 */
export function fnmatchPathname(pattern: string, branch: string): boolean {
    const p = pattern.split("/");
    const s = branch.split("/");
    const match = (pi: number, si: number): boolean => {
        if (pi === p.length) return si === s.length;
        if (p[pi] === "**" && pi < p.length - 1) {
            // Zero or more whole segments, none of them hidden (leading '.').
            for (let k = si; k <= s.length; k++) {
                if (match(pi + 1, k)) return true;
                if (k < s.length && s[k].startsWith(".")) return false;
            }
            return false;
        }
        if (si === s.length) return false;
        return segmentMatches(p[pi], s[si]) && match(pi + 1, si + 1);
    };
    return match(0, 0);
}

/** One path segment against one pattern segment (a trailing `**` is two `*`, i.e. one `*`). */
function segmentMatches(pattern: string, segment: string): boolean {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "*") re += "[^/]*";
        else if (c === "?") re += "[^/]";
        else if (c === "[") {
            const end = pattern.indexOf("]", i + 2);
            if (end < 0) {
                re += "\\[";
                continue;
            }
            let body = pattern.slice(i + 1, end);
            if (body.startsWith("!") || body.startsWith("^")) body = `^${body.slice(1)}`;
            re += `[${body.replace(/\\/g, "\\\\")}]`;
            i = end;
        } else if (c === "\\" && i + 1 < pattern.length) {
            re += pattern[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        } else re += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
    // Without FNM_DOTMATCH a wildcard at the start of a segment does not match a leading '.'.
    if (segment.startsWith(".") && !pattern.startsWith(".")) return false;
    return new RegExp(`^${re}$`).test(segment);
}
