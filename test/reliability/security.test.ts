import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { pageCodeKey } from '../../src/solution/page-code.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { PdfPrinter, type PrintDocument } from '../../src/print/pdf-printer.ts';
import { drawStudent } from '../../src/random/draw-student.ts';
import { deriveSeed } from '../../src/random/seed.ts';
import { renderCohortKey, renderStudentDocuments } from '../../src/render/render-documents.ts';
import { loadTemplates } from '../../src/render/template-set.ts';
import { buildStudentKey } from '../../src/solution/build-marking-key.ts';
import { readPdfText as pdfText } from '../helpers/pdf-read.ts';
import { exampleExam, filesUnder, runCliAsync, tempDir, writeJson, writeText, type CliResult } from './helpers.ts';

/** Nothing a run writes or prints reveals the secret, a seed or the paper-code HMAC; markup stays text. */
const SECRET = 'Zebra-Lighthouse-SECRET-7f3a9c41e2';
const MARKUP = '<img src=http://127.0.0.1:9/x> <script>document.title="ran"</script>';
const dir = tempDir('security');
const ids = ['A-001', 'B-002'];
const csvField = (text: string) => `"${text.replace(/"/g, '""')}"`;
const roster = writeText(dir, 'roster.csv', `Student ID,Full name\nA-001,${csvField(`Ann ${MARKUP}`)}\nB-002,${csvField('Bo "Chen" & co')}\n`);
const examValue = exampleExam();
examValue.course = `Course ${MARKUP}`;
examValue.instructions = [...examValue.instructions, `Instruction ${MARKUP}`];
const examPath = writeJson(dir, 'exam.json', examValue);
const exam = parseExamConfig(examValue, examPath);

/** Every way a string might be stored: text, UTF-16 (PDF text strings), hex (PDF hex strings), base64, raw bytes. */
function encodings(text: string, raw?: Buffer): Array<[string, Buffer]> {
  const utf8 = Buffer.from(text, 'utf8');
  const utf16be = Buffer.from(text, 'utf16le').swap16();
  const forms: Array<[string, Buffer]> = [
    ['utf8', utf8], ['utf16be', utf16be], ['utf16le', Buffer.from(text, 'utf16le')],
    ['hex', Buffer.from(utf8.toString('hex'))], ['HEX', Buffer.from(utf8.toString('hex').toUpperCase())],
    ['utf16be hex', Buffer.from(utf16be.toString('hex'))], ['UTF16BE HEX', Buffer.from(utf16be.toString('hex').toUpperCase())],
    ['base64', Buffer.from(utf8.toString('base64'))],
  ];
  if (raw) forms.push(['raw bytes', raw], ['raw base64', Buffer.from(raw.toString('base64'))]);
  return forms;
}

/** The file's bytes, plus every Flate stream of a PDF decompressed. */
function searchable(bytes: Buffer): { parts: Buffer[]; inflated: number } {
  const parts = [bytes];
  let inflated = 0;
  const text = bytes.toString('latin1');
  for (const match of text.matchAll(/<<((?:(?!>>\s*stream)[\s\S])*)>>\s*stream\r?\n/g)) {
    const start = match.index! + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0 || !/\/FlateDecode/.test(match[1])) continue;
    try {
      parts.push(inflateSync(bytes.subarray(start, end)));
      inflated++;
    } catch {
      // A stream with trailing EOL bytes: inflate tolerates those; any other failure is a broken PDF.
      throw new Error('a FlateDecode stream did not decompress');
    }
  }
  return { parts, inflated };
}

function hmacHex(...fields: string[]): string {
  return createHmac('sha256', SECRET).update(fields.join('\u0000')).digest('hex');
}

describe('the scanner itself', () => {
  it('finds a secret hidden in a compressed PDF stream, in any of its encodings', () => {
    for (const [, needle] of encodings(SECRET)) {
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode /Length 99 >>\nstream\n'), deflateSync(needle), Buffer.from('\nendstream\nendobj\n')]);
      const { parts, inflated } = searchable(pdf);
      expect(inflated).toBe(1);
      expect(parts[0].includes(needle)).toBe(false); // invisible in the raw bytes...
      expect(parts[1].includes(needle)).toBe(true); // ...found once decompressed
    }
  });
});

describe('no secret in any output', () => {
  let result: CliResult;
  const out = join(dir, 'out');
  beforeAll(async () => {
    result = await runCliAsync(['generate', '--exam', examPath, '--roster', roster, '--out', out, '--concurrency', '2', '--json'], { env: { RNN_EXAM_SECRET: SECRET } });
  }, 300_000);

  it('the run succeeds and writes PDFs, CSV and manifest', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(filesUnder(out)).toHaveLength(ids.length * 4 + 3); // paper, booklet, solution, key; cohort CSV, PDF, manifest
  });

  it('scans every byte of every file (PDF streams decompressed) and the run\'s output for the secret, seeds and paper-code HMACs', () => {
    const key = pageCodeKey(SECRET);
    const secrets: Array<[string, string, Buffer?]> = [['secret', SECRET], ['page-code key', key, Buffer.from(key, 'hex')]];
    for (const id of ids) {
      const seed = deriveSeed(SECRET, { examId: exam.examId, studentId: id, attempt: 1 });
      const code = hmacHex('rnn-exam/paper-code-v1', exam.examId, id, '1');
      secrets.push([`${id} seed`, seed, Buffer.from(seed, 'hex')], [`${id} paper-code HMAC`, code, Buffer.from(code, 'hex')]);
    }
    const needles = secrets.flatMap(([label, text, raw]) => encodings(text, raw).map(([form, bytes]) => [`${label} as ${form}`, bytes] as const));
    let streams = 0;
    const sources: Array<[string, Buffer]> = [['stdout', Buffer.from(result.stdout)], ['stderr', Buffer.from(result.stderr)],
      ...filesUnder(out).map((f) => [f, readFileSync(join(out, f))] as [string, Buffer])];
    for (const [name, bytes] of sources) {
      const { parts, inflated } = searchable(bytes);
      streams += inflated;
      for (const part of parts) for (const [label, needle] of needles) expect(part.includes(needle), `${label} found in ${name}`).toBe(false);
    }
    expect(streams).toBeGreaterThan(ids.length * 3); // the scan really did look inside the PDFs
  });

  it('markup in names and config text is printed as text', async () => {
    const text = (await pdfText(join(out, 'A-001', 'question-paper.pdf'))).replace(/\s+/g, ' ');
    expect(text).toContain('<script>document.title="ran"</script>');
    expect(text).toContain('<img src=http://127.0.0.1:9/x>');
  });
});

describe('printing documents whose names and config hold markup', () => {
  let printer: PdfPrinter;
  beforeAll(async () => { printer = await PdfPrinter.start({ concurrency: 1 }); }, 60_000);
  afterAll(async () => { await printer?.close(); });

  it('loads nothing from outside: the markup is escaped, so not even a request is attempted', async () => {
    const templates = await loadTemplates();
    const draw = drawStudent(SECRET, exam, { id: 'A-001', name: `Ann ${MARKUP}` });
    const key = buildStudentKey(exam, draw);
    const docs: PrintDocument[] = [...renderStudentDocuments(templates, exam, draw, key, ['question-paper', 'worked-solution', 'marking-key']).values(), renderCohortKey(templates, exam, [key])];
    for (const doc of docs) {
      for (const html of [doc.html, doc.headerHtml, doc.footerHtml]) {
        expect(html).not.toMatch(/<script|<img src=http/i);
      }
      expect(doc.html).toMatch(/&lt;img src(=|&#x3D;)http:\/\/127\.0\.0\.1:9\/x&gt;/); // shown, not loaded
      await printer.print(doc);
    }
    expect(printer.blockedRequests).toBe(0);
    expect(printer.failedAttempts).toBe(0);
  }, 120_000);
});
