#!/usr/bin/env node
// Link checker for the documentation (`npm run docs:check`, and test/docs/links.test.ts in `npm test`):
// every relative link and #anchor in README.md, docs/*.md and, when it has been built, the API
// reference in docs/api/ must resolve to a file (and heading or id) inside the repository.
// No network: http(s) and mailto links are not followed. Plain JavaScript so it runs without a build.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, `_`, `-` and spaces kept), spaces → `-`. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Markdown with fenced code blocks and inline code blanked out (line numbers kept). */
function stripCode(text) {
  const lines = text.split('\n');
  let fence = null;
  return lines
    .map((line) => {
      const open = /^\s*(```+|~~~+)/.exec(line);
      if (fence) {
        if (open && open[1][0] === fence[0] && open[1].length >= fence.length) fence = null;
        return '';
      }
      if (open) {
        fence = open[1];
        return '';
      }
      return line.replace(/(`+)[^`]*?\1/g, '');
    })
    .join('\n');
}

/** The anchors a file offers: headings (GitHub slugs, duplicates numbered) for Markdown, id/name attributes for HTML. */
function anchorsOf(file, cache) {
  let anchors = cache.get(file);
  if (anchors) return anchors;
  anchors = new Set();
  const text = readFileSync(file, 'utf8');
  if (extname(file) === '.md') {
    const seen = new Map();
    for (const line of stripCode(text).split('\n')) {
      const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (!h) continue;
      const base = slug(h[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
  }
  for (const m of text.matchAll(/\s(?:id|name)\s*=\s*["']([^"']+)["']/g)) anchors.add(m[1]);
  cache.set(file, anchors);
  return anchors;
}

/** Link targets in one file, with their line numbers. */
function linksOf(file) {
  const text = readFileSync(file, 'utf8');
  const source = extname(file) === '.md' ? stripCode(text) : text;
  const links = [];
  source.split('\n').forEach((line, i) => {
    if (extname(file) === '.md') {
      for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1], line: i + 1 });
      for (const m of line.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) links.push({ target: m[1], line: i + 1 });
    }
    for (const m of line.matchAll(/\s(?:href|src)\s*=\s*["']([^"']*)["']/g)) links.push({ target: m[1], line: i + 1 });
  });
  return links;
}

function htmlFilesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...htmlFilesUnder(path));
    else if (name.endsWith('.html')) out.push(path);
  }
  return out;
}

/**
 * The documentation files of a repository: README.md, docs/*.md and docs/api/**\/*.html (when built).
 * @param {string} root
 */
export function documentationFiles(root) {
  const files = [join(root, 'README.md')].filter((f) => existsSync(f));
  const docs = join(root, 'docs');
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith('.md')) files.push(join(docs, name));
    if (existsSync(join(docs, 'api'))) files.push(...htmlFilesUnder(join(docs, 'api')).sort());
  }
  return files;
}

/**
 * Every broken relative link or anchor in `files`, as "file:line: message" strings (empty when all
 * resolve). A link that leaves `root` counts as broken: the documentation must be self-contained.
 * @param {string} root
 * @param {string[]} files
 */
export function checkLinks(root, files) {
  root = resolve(root);
  const problems = [];
  const cache = new Map();
  for (const file of files) {
    const where = (line) => `${relative(root, file)}:${line}`;
    for (const { target, line } of linksOf(file)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // http:, mailto:, data: …
      const hash = target.indexOf('#');
      const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash)).split('?')[0];
      const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
      const dest = pathPart === '' ? file : resolve(dirname(file), pathPart);
      if (dest !== root && !dest.startsWith(root + sep)) {
        problems.push(`${where(line)}: ${target} points outside the repository`);
        continue;
      }
      if (!existsSync(dest)) {
        problems.push(`${where(line)}: ${target} does not exist`);
        continue;
      }
      if (anchor && statSync(dest).isFile() && /\.(md|html?)$/.test(dest) && !anchorsOf(dest, cache).has(anchor)) {
        problems.push(`${where(line)}: ${target}: no heading or id "${anchor}" in ${relative(root, dest)}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const files = documentationFiles(root);
  const problems = checkLinks(root, files);
  for (const p of problems) console.error(p);
  console.log(`checked ${files.length} files: ${problems.length === 0 ? 'every relative link resolves' : `${problems.length} broken`}`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
