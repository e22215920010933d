import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import sharp from 'sharp';

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The GPS IFD pointer tag (0x8825), as an Intel-order EXIF block writes it. */
export const GPS_POINTER = Buffer.from([0x25, 0x88]);

/**
 * A JPEG as a phone writes it: a camera make, a GPS position (Paris) and orientation 6 (taken
 * sideways: 64 x 48 stored, shown 48 x 64). `noise` makes it bigger and unique.
 */
export async function phoneJpeg(opts: { width?: number; height?: number; seed?: number } = {}) {
  const width = opts.width ?? 64;
  const height = opts.height ?? 48;
  const seed = opts.seed ?? 0;
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + seed * 7919 + ((i * seed) >> 3)) & 255;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'AcmeCam', Model: 'Z1', BodySerialNumber: 'SN-0042' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 21/1 300/100',
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** A one-page PDF (what a carrier's receipt looks like to a type sniffer). */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    'trailer<</Root 1 0 R>>\n%%EOF\n',
);

/** The start of an MP4 (`ftyp` box, brand isom) followed by `size` bytes of filler. */
export function mp4(size: number): Buffer {
  const head = Buffer.from(
    '000000206674797069736f6d0000020069736f6d69736f32617663316d703431',
    'hex',
  );
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 1)]);
}

/** The entries of a ZIP file (stored or deflated), read from its central directory. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataAt, dataAt + compressed);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/**
 * The text shown by an uncompressed PDF of pdfkit's standard fonts: its `TJ` arrays' hex strings
 * (WinAnsi codes) decoded and joined, one line per array.
 */
export function pdfText(pdf: Buffer): string {
  const lines: string[] = [];
  for (const match of pdf
    .toString('latin1')
    .matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?[\d.]+)*)\]\s*TJ/g)) {
    const hex = [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
    lines.push(Buffer.from(hex, 'hex').toString('latin1'));
  }
  return lines.join('\n');
}

/**
 * A HEIC-branded HEIF still with an Exif item (camera make and serial, GPS position): sharp's
 * libvips writes HEIF with AV1 only, so its AVIF gets the `heic` brand; the boxes that place the
 * Exif item are the same.
 */
export async function phoneHeic(): Promise<Buffer> {
  const heif = await sharp({ create: { width: 32, height: 24, channels: 3, background: 'green' } })
    .avif({ quality: 50 })
    .withExif({
      IFD0: { Make: 'AcmeCam', BodySerialNumber: 'SN-0042' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' },
    })
    .toBuffer();
  heif.write('heic', 8, 'latin1');
  return heif;
}
