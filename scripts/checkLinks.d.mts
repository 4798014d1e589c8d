/** GitHub's heading anchor for a Markdown heading. */
export function slug(heading: string): string;
/** README.md, docs/*.md and docs/api/**\/*.html (when built) under `root`. */
export function documentationFiles(root: string): string[];
/** Every broken relative link or anchor in `files` as "file:line: message"; empty when all resolve. */
export function checkLinks(root: string, files: string[]): string[];
