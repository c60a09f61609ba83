import { describe, expect, it } from 'vitest';
import { fitDate, makePdfDeterministic } from '../../src/print/deterministic-pdf.ts';

const binary = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

function syntheticPdf(date: string, id?: string): Buffer {
  const trailer = id ? `/ID [<${id}><${id}>]` : '';
  return Buffer.from(
    `%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:${date})\n/ModDate(D:${date})>>\nendobj\n` +
    `2 0 obj\n<</Length 256>>stream\n${binary}\nendstream\nendobj\n` +
    `trailer\n<</Size 3 /Root 1 0 R ${trailer}>>\nstartxref\n123\n%%EOF\n`,
    'latin1',
  );
}

describe('makePdfDeterministic', () => {
  it('fixes both dates in place, keeping every other byte', () => {
    const a = syntheticPdf("20261128162816+00'00'");
    const b = syntheticPdf("20250101000000+01'00'");
    const fixedA = makePdfDeterministic(a);
    expect(fixedA.length).toBe(a.length);
    expect(Buffer.compare(fixedA, makePdfDeterministic(b))).toBe(0);
    const text = fixedA.toString('latin1');
    expect(text).toContain("/CreationDate (D:20000101000000+00'00')");
    expect(text).toContain("/ModDate(D:20000101000000+00'00')");
    expect(text).toContain(binary); // binary stream untouched
    expect(text.replace(/D:20000101000000\+00'00'/g, "D:20261128162816+00'00'")).toBe(a.toString('latin1'));
  });

  it('keeps the length for dates of other lengths and a custom fixed date', () => {
    const short = syntheticPdf('20261128');
    const fixed = makePdfDeterministic(short, 'D:19991231235959Z');
    expect(fixed.length).toBe(short.length);
    expect(fixed.toString('latin1')).toContain('/CreationDate (D:19991231)');
    expect(fitDate('D:2000', 12)).toBe('D:2000      ');
    expect(fitDate('D:20000101000000Z', 23)).toBe("D:20000101000000+00'00'");
  });

  it('replaces an /ID with a same-length hash of the content', () => {
    const a = makePdfDeterministic(syntheticPdf("20261128162816+00'00'", 'A1B2C3D4E5F60718293A4B5C6D7E8F90'));
    const b = makePdfDeterministic(syntheticPdf("20240101000000+00'00'", '00000000000000000000000000000000'));
    expect(Buffer.compare(a, b)).toBe(0);
    const id = /\/ID \[<([0-9A-F]+)><([0-9A-F]+)>\]/.exec(a.toString('latin1'));
    expect(id?.[1]).toHaveLength(32);
    expect(id?.[1]).not.toBe('0'.repeat(32));
    // different content, different ID
    const other = Buffer.from(syntheticPdf("20261128162816+00'00'", 'A1B2C3D4E5F60718293A4B5C6D7E8F90').toString('latin1').replace('m156', 'm157'), 'latin1');
    expect(/\/ID \[<([0-9A-F]+)>/.exec(makePdfDeterministic(other).toString('latin1'))?.[1]).not.toBe(id?.[1]);
  });

  it('renumbers the structure IDs of table header cells in their own order, whatever the renderer counted before', () => {
    // What Chromium writes for a table with two <th>: the IDs are renderer-wide DOM node IDs.
    const tagged = (a: string, b: string) => Buffer.from(
      `%PDF-1.4\n4 0 obj\n<</Type /StructElem\n/S /TH\n/ID (node${a})>>\nendobj\n5 0 obj\n<</Type /StructElem\n/S /TH\n/ID (node${b})>>\nendobj\n` +
      `6 0 obj\n<</Type /StructElem\n/S /TD\n/A [<</O /Table\n/Headers [(node${b})]>>]>>\nendobj\n` +
      `7 0 obj\n<</Limits [(node${a}) (node${b})]\n/Names [(node${a}) 4 0 R (node${b}) 5 0 R]>>\nendobj\n` +
      `8 0 obj\n<</Length 256>>stream\n${binary}\nendstream\nendobj\n%%EOF\n`, 'latin1');
    const fresh = makePdfDeterministic(tagged('00000042', '00000043'));
    const reused = makePdfDeterministic(tagged('00000968', '00001207'));
    expect(reused.length).toBe(tagged('00000968', '00001207').length);
    expect(Buffer.compare(fresh, reused)).toBe(0);
    expect(fresh.toString('latin1')).toBe(tagged('00000001', '00000002').toString('latin1'));
    // the name tree stays sorted: the smaller ID keeps the smaller number
    expect(makePdfDeterministic(tagged('00000900', '00000077')).toString('latin1')).toBe(tagged('00000002', '00000001').toString('latin1'));
  });

  it('accepts a Uint8Array view and leaves a PDF without dates alone', () => {
    const plain = new Uint8Array(Buffer.from('%PDF-1.4\nno dates here\n%%EOF\n', 'latin1'));
    expect(Buffer.from(makePdfDeterministic(plain)).toString('latin1')).toBe('%PDF-1.4\nno dates here\n%%EOF\n');
  });
});
