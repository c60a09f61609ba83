const codeUnitOrder = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** IDs in natural order: digit runs by value (9 before 10), the rest by code unit; locale-free, so deterministic. */
export function compareIds(a: string, b: string): number {
  const runs = (id: string) => id.match(/\d+|\D+/g) ?? [];
  const ra = runs(a), rb = runs(b);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    let order: number;
    if (/^\d/.test(ra[i]) && /^\d/.test(rb[i])) {
      const x = ra[i].replace(/^0+/, ''), y = rb[i].replace(/^0+/, '');
      order = x.length - y.length || codeUnitOrder(x, y);
    } else order = codeUnitOrder(ra[i], rb[i]);
    if (order !== 0) return order;
  }
  return ra.length - rb.length || codeUnitOrder(a, b);
}
