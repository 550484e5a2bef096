/**
 * Anti-hang bounds in tests are set for native speed on x86-64. Slower runs say how much slower
 * they are: GUOMI_TEST_TIME_SCALE (scripts/cross-test.sh sets 10 under qemu), or 5 for the
 * ASan+UBSan build (GUOMI_SANITIZED=1, scripts/sanitize.sh). These are guards against hangs and
 * quadratic blow-ups, not performance measurements (those are `npm run bench`).
 */
export function timeScale(): number {
  const given = Number(process.env['GUOMI_TEST_TIME_SCALE']);
  if (Number.isFinite(given) && given >= 1) return given;
  return process.env['GUOMI_SANITIZED'] === '1' ? 5 : 1;
}
