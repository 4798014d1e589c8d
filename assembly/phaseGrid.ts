// The phase-grid kernel: every theory field of §B7–§B9 for each cell of a cartesian grid over
// (b, γ, ρ, u_0). Cells are numbered with u_0 fastest, then ρ, then γ, then b:
//   cell = ((ib·ng + ig)·nr + ir)·nu + iu,   per-depth fields at cell·nd + k.
// α_ρ, s and u* depend only on (b, γ, ρ) and are computed once per u_0 row.
import { alpha, clippedPredictor, fixedPoint, levelMap, mixingDepthSmallSignal, organizationExponent } from './levelMap';

export function phaseGrid(
  bPtr: usize, nb: i32, gammaPtr: usize, ng: i32, rhoPtr: usize, nr: i32, u0Ptr: usize, nu: i32,
  depthPtr: usize, nd: i32, epsilon: f64, maxMixingDepth: i32,
  alphaOut: usize, sOut: usize, uStarOut: usize, mixOut: usize, mixSmallOut: usize,
  uLOut: usize, clippedOut: usize,
): void {
  let deepest = 0;
  for (let k = 0; k < nd; k++) deepest = max(deepest, load<i32>(depthPtr + (<usize>k << 2)));
  let cell: usize = 0;
  for (let ib = 0; ib < nb; ib++) {
    const b = load<i32>(bPtr + (<usize>ib << 2));
    for (let ig = 0; ig < ng; ig++) {
      const gamma = load<f64>(gammaPtr + (<usize>ig << 3));
      for (let ir = 0; ir < nr; ir++) {
        const rho = load<f64>(rhoPtr + (<usize>ir << 3));
        const a = alpha(b, gamma, rho);
        const s = organizationExponent(b, gamma, rho);
        const uStar = fixedPoint(b, gamma, rho);
        const amplifying = uStar > 0.0;
        const tol = epsilon * uStar;
        for (let iu = 0; iu < nu; iu++) {
          const u0 = load<f64>(u0Ptr + (<usize>iu << 3));
          const off = cell << 3;
          store<f64>(alphaOut + off, a);
          store<f64>(sOut + off, s);
          store<f64>(uStarOut + off, uStar);
          const au0 = Math.abs(u0);
          store<f64>(mixSmallOut + off, mixingDepthSmallSignal(a, uStar, u0));
          // One pass along the trajectory serves both the requested depths and the mixing depth.
          let mix: i32 = amplifying && au0 > 0.0 ? -2 : -1; // −2: still looking, −1: none
          let u = u0;
          for (let l = 0; ; l++) {
            if (mix == -2 && Math.abs(Math.abs(u) - uStar) <= tol) mix = l;
            for (let k = 0; k < nd; k++) {
              if (load<i32>(depthPtr + (<usize>k << 2)) == l) store<f64>(uLOut + ((cell * <usize>nd + <usize>k) << 3), u);
            }
            if (l >= deepest && mix != -2) break;
            if (mix == -2 && l >= maxMixingDepth) { mix = -1; if (l >= deepest) break; }
            u = levelMap(b, gamma, rho, u);
          }
          store<f64>(mixOut + off, mix >= 0 ? <f64>mix : NaN);
          for (let k = 0; k < nd; k++) {
            const L = load<i32>(depthPtr + (<usize>k << 2));
            store<f64>(clippedOut + ((cell * <usize>nd + <usize>k) << 3), clippedPredictor(a, uStar, u0, L));
          }
          cell++;
        }
      }
    }
  }
}
