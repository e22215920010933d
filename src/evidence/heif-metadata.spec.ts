import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { clearHeifMetadata, HeifError } from './heif-metadata';

/**
 * A HEIF still with an Exif item (camera make, GPS position). libvips in sharp's package writes
 * HEIF with AV1 only (AVIF); HEIC differs in the codec of its picture items, not in the boxes
 * that place the Exif item, which is what is cleared.
 */
async function heifWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: 'blue' } })
    .avif({ quality: 50 })
    .withExif({
      IFD0: { Make: 'AcmeCam', BodySerialNumber: 'SN-0042' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 2400/100' },
    })
    .toBuffer();
}

describe('clearHeifMetadata', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'redress-heif-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('zeroes the Exif item in place: same size, no camera, no position, still a picture', async () => {
    const original = await heifWithExif();
    expect(original.includes('AcmeCam')).toBe(true);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const path = join(dir, 'photo.heic');
    writeFileSync(path, original);

    expect(await clearHeifMetadata(path)).toBe(1);
    const cleared = readFileSync(path);
    expect(cleared.length).toBe(original.length);
    expect(cleared.includes('AcmeCam')).toBe(false);
    expect(cleared.includes('SN-0042')).toBe(false);
    const meta = await sharp(cleared).metadata();
    expect([meta.width, meta.height]).toEqual([64, 48]);
    await sharp(cleared).raw().toBuffer(); // decodes
    // Nothing left to clear the second time round changes nothing else.
    expect(await clearHeifMetadata(path)).toBe(1);
    expect(readFileSync(path).equals(cleared)).toBe(true);
  });

  it('leaves a HEIF without metadata items as it is', async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } })
      .avif()
      .toBuffer();
    const path = join(dir, 'plain.heic');
    writeFileSync(path, plain);
    expect(await clearHeifMetadata(path)).toBe(0);
    expect(readFileSync(path).equals(plain)).toBe(true);
  });

  it('refuses a file whose boxes run past its end', async () => {
    const original = await heifWithExif();
    const path = join(dir, 'cut.heic');
    writeFileSync(path, original.subarray(0, 200));
    await expect(clearHeifMetadata(path)).rejects.toBeInstanceOf(HeifError);
  });
});
