// The heatmap's cell centres, written out independently of web/compute.ts: (i + ½)/120 on [0, 1].
export const SIZE = 120;

export function gridAxisForTest(): number[] {
  return Array.from({ length: SIZE }, (_, i) => (i + 0.5) / SIZE);
}
