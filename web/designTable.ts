// The design panel (§E): the ranked organizations, best first, and the small-signal verdict (§B12).
import type { DesignResult } from './compute.ts';
import { fmt } from './format.ts';

const SHOWN = 15;

export function drawDesign(table: HTMLTableElement, summary: HTMLElement, design: DesignResult, showAll: boolean): void {
  const ranked = design.rows.filter((r) => r.rank !== null).sort((a, b) => a.rank! - b.rank!);
  const rows = showAll ? [...ranked, ...design.rows.filter((r) => r.rank === null)] : ranked.slice(0, SHOWN);
  const body = table.tBodies[0];
  body.replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'design-row';
    tr.dataset.rank = r.rank === null ? '' : String(r.rank);
    tr.dataset.organization = r.organization;
    tr.dataset.bias = r.bias === null ? '' : String(r.bias);
    if (r.rank === 1) tr.className = 'best';
    if (!r.feasible) tr.className = 'infeasible';
    const cells = [
      r.rank === null ? '—' : String(r.rank), r.organization, r.b === null ? '—' : String(r.b), String(r.depth), fmt(r.leaves),
      r.m === null ? '—' : fmt(r.m), fmt(r.channel, 4), fmt(r.compute), fmt(r.bias), fmt(r.accuracy), r.regime, fmt(r.s, 4), r.reason,
    ];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  }));
  const best = design.best;
  const disagree = design.verdicts?.filter((v) => v.disagree) ?? [];
  summary.dataset.bestOrganization = best.organization;
  summary.dataset.bestBias = String(best.bias);
  summary.textContent = `${ranked.length} feasible of ${design.rows.length} candidates. Best: ${best.organization}`
    + (best.organization === 'single' ? '' : ` b = ${best.b}, depth ${best.depth}, m = ${best.m}`)
    + ` with root accuracy ${fmt(best.accuracy)} (single agent ${fmt(design.single.accuracy)}).`
    + (design.verdicts ? ` Small-signal (§B12) and exact answers disagree for ${disagree.length} of ${design.verdicts.length} (b, m) families.` : '')
    + (showAll || ranked.length <= SHOWN ? '' : ` Showing the top ${SHOWN}.`);
}
