/**
 * A ZIP archive written entry by entry (deflate, UTF-8 names, fixed 1980 timestamps so the
 * same feedback gives the same bytes). Only the central directory, a few dozen bytes per
 * entry, is kept until the end: the files themselves go straight out.
 */
import { crc32, deflateRawSync } from 'node:zlib';

const UTF8_NAMES = 0x0800;
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const LIMIT = 0xffffffff;

export class ZipWriter {
  private offset = 0;
  private readonly central: Buffer[] = [];
  private count = 0;

  /** The bytes of one entry (local header and compressed data), to be written next. */
  entry(name: string, content: string | Buffer): Buffer {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const packed = deflateRawSync(data, { level: 6 });
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE_1980, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(UTF8_NAMES, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(0, 12);
    dir.writeUInt16LE(DOS_DATE_1980, 14);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(this.offset, 42);
    this.central.push(dir, nameBytes);
    this.count++;
    const bytes = Buffer.concat([local, nameBytes, packed]);
    this.offset += bytes.length;
    if (this.offset > LIMIT || this.count > 0xffff) throw new Error('the feedback ZIP would exceed 4 GB or 65,535 files (ZIP64 is not supported)');
    return bytes;
  }

  /** The central directory and its end record: the last bytes of the archive. */
  finish(): Buffer {
    const dir = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(dir.length, 12);
    end.writeUInt32LE(this.offset, 16);
    return Buffer.concat([dir, end]);
  }
}
