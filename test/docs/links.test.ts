// The documentation's links resolve (issue 15): every relative link and anchor in README.md,
// docs/*.md and the generated API reference (when built) points at a file and heading inside the
// repository. The fixture shows the checker finds each kind of broken link and nothing else.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLinks, documentationFiles, slug } from '../../scripts/checkLinks.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixture', import.meta.url));

describe('documentation links', () => {
  it('every relative link and anchor in README.md and docs/ resolves', () => {
    const files = documentationFiles(repo);
    expect(files.map((f) => f.slice(repo.length))).toEqual(expect.arrayContaining(['README.md', 'docs/model.md']));
    expect(checkLinks(repo, files)).toEqual([]);
  });

  it('reports a missing file, a missing anchor and a link out of the repository, and nothing else', () => {
    const problems = checkLinks(fixture, documentationFiles(fixture));
    expect(problems).toEqual([
      'README.md:11: docs/missing.md does not exist',
      'README.md:12: docs/page.md#no-such-heading: no heading or id "no-such-heading" in docs/page.md',
      'README.md:13: ../../../package.json points outside the repository',
    ]);
  });

  it('computes GitHub heading anchors', () => {
    expect(slug('§G Calibration: measuring β, γ(m) and ρ')).toBe('g-calibration-measuring-β-γm-and-ρ');
    expect(slug("First run: the paper's check (§F)")).toBe('first-run-the-papers-check-f');
    expect(slug('WebAssembly: two flavours, one API')).toBe('webassembly-two-flavours-one-api');
  });
});
