import { inflateSync } from 'node:zlib';

/**
 * Just enough of a PDF reader to append an incremental update to a PDF that Chromium wrote:
 * the cross-reference (table or stream, following /Prev), objects in place or inside object
 * streams, and the page tree. Objects are kept as their source text; only the few values
 * that are needed (references, names, numbers, arrays) are parsed. Anything unexpected
 * throws, and the caller falls back to rewriting the whole file with pdf-lib.
 */
export type PdfValue = number | string | boolean | null | PdfRef | PdfName | PdfValue[] | PdfDict;
export interface PdfRef { ref: number }
export interface PdfName { name: string }
export interface PdfDict { dict: Map<string, PdfValue>; text: string }

type XrefEntry = { offset: number } | { stream: number; index: number };

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);

export class PdfObjects {
  readonly text: string;
  readonly xref = new Map<number, XrefEntry>();
  /** the newest trailer dictionary (an xref stream's dictionary, or the trailer of a table) */
  trailer!: PdfDict;
  readonly startxref: number;
  readonly #streams = new Map<number, { text: string; offsets: Map<number, number> }>();

  constructor(bytes: Uint8Array) {
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const at = this.text.lastIndexOf('startxref');
    if (at < 0) throw new Error('no startxref');
    this.startxref = Number(/^startxref\s+(\d+)/.exec(this.text.slice(at, at + 40))?.[1]);
    const seen = new Set<number>();
    for (let offset: number | undefined = this.startxref; offset !== undefined && !seen.has(offset);) {
      seen.add(offset);
      const trailer = this.#readXrefSection(offset);
      this.trailer ??= trailer;
      const prev = trailer.dict.get('Prev');
      offset = typeof prev === 'number' ? prev : undefined;
    }
  }

  /** The object's value: a dictionary (with its source text), or any other value. */
  get(num: number): PdfValue {
    const source = this.#source(num);
    return new Parser(source.text, source.at).value();
  }

  dict(num: number): PdfDict {
    const value = this.get(num);
    if (!isDict(value)) throw new Error(`object ${num} is not a dictionary`);
    return value;
  }

  /** Object numbers of the pages, in order. */
  pages(): number[] {
    const root = this.trailer.dict.get('Root');
    if (!isRef(root)) throw new Error('no /Root');
    const pagesRef = this.dict(root.ref).dict.get('Pages');
    if (!isRef(pagesRef)) throw new Error('no /Pages');
    const out: number[] = [];
    const walk = (num: number, depth: number) => {
      if (depth > 50) throw new Error('page tree too deep');
      const node = this.dict(num).dict;
      const kids = node.get('Kids');
      if (Array.isArray(kids)) for (const kid of kids) if (isRef(kid)) walk(kid.ref, depth + 1); else throw new Error('bad /Kids');
      else out.push(num);
    };
    walk(pagesRef.ref, 0);
    return out;
  }

  get size(): number {
    const size = this.trailer.dict.get('Size');
    if (typeof size !== 'number') throw new Error('no /Size');
    return size;
  }

  #source(num: number): { text: string; at: number } {
    const entry = this.xref.get(num);
    if (!entry) throw new Error(`object ${num} not in the cross-reference`);
    if ('offset' in entry) {
      const header = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(this.text.slice(entry.offset, entry.offset + 40));
      if (!header || Number(header[1]) !== num) throw new Error(`object ${num} is not at its offset`);
      return { text: this.text, at: entry.offset + header[0].length };
    }
    const stream = this.#objectStream(entry.stream);
    const at = stream.offsets.get(num);
    if (at === undefined) throw new Error(`object ${num} not in object stream ${entry.stream}`);
    return { text: stream.text, at };
  }

  #objectStream(num: number) {
    let stream = this.#streams.get(num);
    if (!stream) {
      const { dict, data } = this.#stream(num);
      const n = dict.dict.get('N');
      const first = dict.dict.get('First');
      if (typeof n !== 'number' || typeof first !== 'number') throw new Error('bad object stream');
      const numbers = data.slice(0, first).trim().split(/\s+/).map(Number);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i++) offsets.set(numbers[2 * i], first + numbers[2 * i + 1]);
      stream = { text: data, offsets };
      this.#streams.set(num, stream);
    }
    return stream;
  }

  /** A stream object's dictionary and its decoded data (FlateDecode or none). */
  #stream(num: number): { dict: PdfDict; data: string } {
    const source = this.#source(num);
    if (source.text !== this.text) throw new Error('a stream inside an object stream');
    const parser = new Parser(this.text, source.at);
    const dict = parser.value();
    if (!isDict(dict)) throw new Error(`stream ${num} has no dictionary`);
    return { dict, data: this.#streamData(dict, parser.pos) };
  }

  #streamData(dict: PdfDict, after: number): string {
    const start = /^\s*stream\r?\n/.exec(this.text.slice(after, after + 20));
    const length = dict.dict.get('Length');
    if (!start || typeof length !== 'number') throw new Error('bad stream');
    const raw = Buffer.from(this.text.slice(after + start[0].length, after + start[0].length + length), 'latin1');
    const filter = dict.dict.get('Filter');
    if (filter === undefined) return raw.toString('latin1');
    if (isName(filter) && filter.name === 'FlateDecode' && dict.dict.get('DecodeParms') === undefined) return inflateSync(raw).toString('latin1');
    throw new Error('unsupported stream filter');
  }

  #readXrefSection(offset: number): PdfDict {
    if (this.text.startsWith('xref', offset)) return this.#readXrefTable(offset);
    const header = /^\s*(\d+)\s+\d+\s+obj\b/.exec(this.text.slice(offset, offset + 40));
    if (!header) throw new Error('no cross-reference at startxref');
    const parser = new Parser(this.text, offset + header[0].length);
    const dict = parser.value();
    if (!isDict(dict) || !isName(dict.dict.get('Type')) || (dict.dict.get('Type') as PdfName).name !== 'XRef') throw new Error('not an xref stream');
    const data = Buffer.from(this.#streamData(dict, parser.pos), 'latin1');
    const w = dict.dict.get('W');
    const size = dict.dict.get('Size');
    const index = (dict.dict.get('Index') ?? [0, size]) as PdfValue[];
    if (!Array.isArray(w) || w.length !== 3 || !w.every((x) => typeof x === 'number')) throw new Error('bad /W');
    const [w0, w1, w2] = w as number[];
    const field = (at: number, width: number) => { let v = 0; for (let i = 0; i < width; i++) v = v * 256 + data[at + i]; return v; };
    let at = 0;
    for (let s = 0; s + 1 < index.length; s += 2) {
      const [start, count] = [index[s], index[s + 1]] as number[];
      for (let i = 0; i < count; i++, at += w0 + w1 + w2) {
        const type = w0 === 0 ? 1 : field(at, w0);
        const num = start + i;
        if (this.xref.has(num)) continue; // a newer section already said where it is
        if (type === 1) this.xref.set(num, { offset: field(at + w0, w1) });
        else if (type === 2) this.xref.set(num, { stream: field(at + w0, w1), index: field(at + w0 + w1, w2) });
      }
    }
    return dict;
  }

  #readXrefTable(offset: number): PdfDict {
    const lines = /^xref\s*([\s\S]*?)trailer/.exec(this.text.slice(offset, this.text.indexOf('trailer', offset) + 7));
    if (!lines) throw new Error('bad xref table');
    const tokens = lines[1].trim().split(/\s+/);
    for (let i = 0; i < tokens.length;) {
      const start = Number(tokens[i]);
      const count = Number(tokens[i + 1]);
      i += 2;
      for (let k = 0; k < count; k++, i += 3) {
        const num = start + k;
        if (tokens[i + 2] === 'n' && !this.xref.has(num)) this.xref.set(num, { offset: Number(tokens[i]) });
      }
    }
    const trailer = new Parser(this.text, this.text.indexOf('trailer', offset) + 7).value();
    if (!isDict(trailer)) throw new Error('bad trailer');
    return trailer;
  }
}

export const isDict = (v: PdfValue | undefined): v is PdfDict => typeof v === 'object' && v !== null && 'dict' in v;
export const isRef = (v: PdfValue | undefined): v is PdfRef => typeof v === 'object' && v !== null && 'ref' in v;
export const isName = (v: PdfValue | undefined): v is PdfName => typeof v === 'object' && v !== null && 'name' in v;

/** PDF object syntax from a position; dictionaries keep their own source text. */
class Parser {
  pos: number;
  constructor(readonly text: string, at: number) {
    this.pos = at;
  }

  value(): PdfValue {
    this.#skip();
    const t = this.text;
    const c = t[this.pos];
    if (t.startsWith('<<', this.pos)) return this.#dict();
    if (c === '[') {
      this.pos++;
      const items: PdfValue[] = [];
      for (this.#skip(); t[this.pos] !== ']'; this.#skip()) {
        if (this.pos >= t.length) throw new Error('unterminated array');
        items.push(this.value());
      }
      this.pos++;
      return items;
    }
    if (c === '/') {
      const m = /^\/[^\s()<>[\]{}/%]*/.exec(t.slice(this.pos, this.pos + 128))!;
      this.pos += m[0].length;
      return { name: m[0].slice(1) };
    }
    if (c === '(') return this.#literalString();
    if (c === '<') {
      const end = t.indexOf('>', this.pos);
      const hex = t.slice(this.pos + 1, end);
      this.pos = end + 1;
      return hex;
    }
    const ref = /^(\d+)\s+(\d+)\s+R(?![^\s()<>[\]{}/%])/.exec(t.slice(this.pos, this.pos + 32));
    if (ref) {
      this.pos += ref[0].length;
      return { ref: Number(ref[1]) };
    }
    const word = /^[^\s()<>[\]{}/%]+/.exec(t.slice(this.pos, this.pos + 64));
    if (!word) throw new Error(`unexpected ${JSON.stringify(c)} at ${this.pos}`);
    this.pos += word[0].length;
    if (word[0] === 'true' || word[0] === 'false') return word[0] === 'true';
    if (word[0] === 'null') return null;
    const n = Number(word[0]);
    if (Number.isNaN(n)) throw new Error(`unexpected ${word[0]}`);
    return n;
  }

  #dict(): PdfDict {
    const start = this.pos;
    this.pos += 2;
    const dict = new Map<string, PdfValue>();
    for (this.#skip(); !this.text.startsWith('>>', this.pos); this.#skip()) {
      if (this.pos >= this.text.length) throw new Error('unterminated dictionary');
      const key = this.value();
      if (!isName(key)) throw new Error('dictionary key is not a name');
      dict.set(key.name, this.value());
    }
    this.pos += 2;
    return { dict, text: this.text.slice(start, this.pos) };
  }

  #literalString(): string {
    let depth = 0;
    const start = this.pos;
    for (; this.pos < this.text.length; this.pos++) {
      const ch = this.text[this.pos];
      if (ch === '\\') this.pos++;
      else if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
    }
    this.pos++;
    return this.text.slice(start, this.pos);
  }

  #skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const code = t.charCodeAt(this.pos);
      if (WHITESPACE.has(code)) this.pos++;
      else if (code === 0x25) while (this.pos < t.length && t[this.pos] !== '\n' && t[this.pos] !== '\r') this.pos++;
      else break;
    }
  }
}

