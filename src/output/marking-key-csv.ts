/**
 * CSV for the marking key, made for Excel as much as for scripts: RFC 4180 quoting, CRLF
 * line ends, a UTF-8 byte-order mark (without it Excel shows "Zoë" as "ZoÃ«"), and no
 * cell that a spreadsheet would run as a formula.
 */
export type CsvCell = string | number;
export type CsvRow = CsvCell[];
export type CsvRows = CsvRow[];

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** Characters that make Excel, LibreOffice or Sheets treat a cell as a formula (OWASP list). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Text that is just a number, e.g. "-0.315" or "+1e-3": safe and should stay a number. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** Prefixes a quote to text a spreadsheet would otherwise evaluate ("=SUM(A1)", "-Ann", "@cmd"). */
export function neutraliseFormula(text: string): string {
  // Some importers trim leading spaces first, so " =cmd" is checked too.
  const risky = FORMULA_START.test(text) || FORMULA_START.test(text.trimStart());
  return risky && !PLAIN_NUMBER.test(text.trim()) ? `'${text}` : text;
}

function cellText(cell: CsvCell): string {
  // Finite numbers are written as numbers; NaN/Infinity are treated as text like anything else.
  if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell);
  return neutraliseFormula(String(cell));
}

export function csvField(cell: CsvCell): string {
  const text = cellText(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file as text: BOM, header line, one line per row, every line ending in CRLF. */
export function toCsv(header: string[], rows: CsvRows): string {
  return csvStart(header) + csvLines(rows, header.length);
}

/** The start of the file (BOM and header line); csvLines pieces follow it, e.g. streamed student by student. */
export function csvStart(header: string[]): string {
  return BOM + header.map(csvField).join(',') + CRLF;
}

/** Rows as CSV lines (CRLF after each); every row must have `width` cells. */
export function csvLines(rows: CsvRows, width: number): string {
  rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`CSV row ${i + 1} has ${row.length} cells, the header has ${width}`);
  });
  return rows.map((row) => row.map(csvField).join(',') + CRLF).join('');
}
