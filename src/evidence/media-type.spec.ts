import sharp from 'sharp';
import { uploadLimits } from '../config/evidence-config';
import { EVIDENCE_KINDS, fitsKind, limitFor, MediaType, sniffMediaType } from './media-type';

const image = () => sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } });
/** An ISO-BMFF file's start: an `ftyp` box of `brand`. */
const ftyp = (brand: string) =>
  Buffer.concat([
    Buffer.from([0, 0, 0, 0x18]),
    Buffer.from(`ftyp${brand.padEnd(4, ' ')}`, 'latin1'),
    Buffer.from([0, 0, 0, 0]),
    Buffer.from(`${brand.padEnd(4, ' ')}mif1`, 'latin1'),
    Buffer.alloc(64),
  ]);

describe('sniffMediaType: the type from the bytes', () => {
  it.each<[string, () => Promise<Buffer> | Buffer, MediaType]>([
    ['JPEG', () => image().jpeg().toBuffer(), 'image/jpeg'],
    ['PNG', () => image().png().toBuffer(), 'image/png'],
    ['WebP', () => image().webp().toBuffer(), 'image/webp'],
    ['HEIC', () => ftyp('heic'), 'image/heic'],
    ['HEIF still (mif1)', () => ftyp('mif1'), 'image/heic'],
    ['MP4', () => ftyp('isom'), 'video/mp4'],
    ['QuickTime', () => ftyp('qt'), 'video/quicktime'],
    [
      'PDF',
      () => Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n', 'latin1'),
      'application/pdf',
    ],
  ])('%s', async (_name, bytes, type) => {
    expect(await sniffMediaType(await bytes())).toBe(type);
  });

  it.each<[string, () => Promise<Buffer> | Buffer]>([
    ['text', () => Buffer.from('hello, this is not a picture\n')],
    ['GIF', () => image().gif().toBuffer()],
    ['AVIF', () => image().avif().toBuffer()],
    ['3GP', () => ftyp('3gp4')],
    ['M4A audio', () => ftyp('M4A')],
    ['ZIP', () => Buffer.from('504b0304140000000800', 'hex')],
    ['empty', () => Buffer.alloc(0)],
  ])('refuses %s', async (_name, bytes) => {
    expect(await sniffMediaType(await bytes())).toBeNull();
  });
});

describe('fitsKind', () => {
  const table: [MediaType, string[]][] = [
    ['image/jpeg', ['photo', 'document', 'tracking']],
    ['image/heic', ['photo', 'document', 'tracking']],
    ['video/mp4', ['video']],
    ['video/quicktime', ['video']],
    ['application/pdf', ['document', 'tracking']],
  ];
  it.each(table)('%s fits %j and nothing else', (type, kinds) => {
    expect(EVIDENCE_KINDS.filter((kind) => fitsKind(kind, type))).toEqual(kinds);
  });
});

describe('limits', () => {
  it('15 MiB for photos and documents, 200 MiB for videos, scaled by REDRESS_MAX_UPLOAD_MB', () => {
    const limits = uploadLimits(200);
    expect(limitFor('photo', limits)).toBe(15 * 1024 * 1024);
    expect(limitFor('document', limits)).toBe(15 * 1024 * 1024);
    expect(limitFor('tracking', limits)).toBe(15 * 1024 * 1024);
    expect(limitFor('video', limits)).toBe(200 * 1024 * 1024);
    expect(uploadLimits(400)).toEqual({ video: 400 * 1024 * 1024, file: 30 * 1024 * 1024 });
    expect(uploadLimits(20)).toEqual({ video: 20 * 1024 * 1024, file: 1.5 * 1024 * 1024 });
  });
});
