import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../src/output/marking-key-csv.ts';

describe('toCsv', () => {
  it('starts with a BOM and ends every line with CRLF', () => {
    expect(toCsv(['id', 'total'], [['S1', 12], ['S2', 7.5]])).toBe('\uFEFFid,total\r\nS1,12\r\nS2,7.5\r\n');
    expect(toCsv(['id'], [])).toBe('\uFEFFid\r\n');
  });

  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Smith, Ann')).toBe('"Smith, Ann"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('padded ')).toBe('"padded "');
    expect(csvField('Zoë 李')).toBe('Zoë 李');
    expect(csvField('')).toBe('');
  });

  it('keeps numbers as numbers and neutralises formulas', () => {
    expect(csvField(-0.315)).toBe('-0.315');
    expect(csvField('-0.315')).toBe('-0.315');
    expect(csvField('+1.5e-3')).toBe('+1.5e-3');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('-Ann')).toBe("'-Ann");
    expect(csvField('+44 20 7946')).toBe("'+44 20 7946");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField(' =1+1')).toBe("' =1+1");
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField(Number.NEGATIVE_INFINITY)).toBe("'-Infinity");
    expect(csvField('a=b')).toBe('a=b');
  });

  it('guards header cells too, and refuses ragged rows', () => {
    expect(toCsv(['=x'], [[1]])).toBe("\uFEFF'=x\r\n1\r\n");
    expect(() => toCsv(['a', 'b'], [['only one']])).toThrow(/row 1 has 1 cells, the header has 2/);
  });
});
