import sharp from 'sharp';
import { clearHeifMetadata, HeifError } from './heif-metadata';
import type { MediaType } from './media-type';

// libvips' operation cache keeps recent images' pixels for reuse: each image here is read once,
// and the cache would only hold memory (up to 50 MB by default) after every upload and packet.
sharp.cache(false);

/** An image the app cannot read (its signature fits, its content does not): refused as 415. */
export class UnreadableImage extends Error {}

/**
 * Writes `source` to `target` without its metadata (EXIF, GPS position, camera serial, XMP,
 * comments): decoded and encoded again in its own format by libvips (`sharp` drops all metadata
 * unless asked to keep it), with its EXIF orientation applied first, so the picture still stands
 * the way it was taken. HEIC, which the bundled libvips cannot decode, has its metadata items
 * cleared in place instead ({@link clearHeifMetadata}); then `target` is not written and the
 * answer is `source`. Answers the path of the clean file.
 */
export async function withoutMetadata(
  type: MediaType,
  source: string,
  target: string,
): Promise<string> {
  try {
    if (type === 'image/heic') {
      await clearHeifMetadata(source);
      return source;
    }
    // sequentialRead: libvips streams the decode row by row where the operations allow it.
    const image = sharp(source, { failOn: 'error', sequentialRead: true }).rotate();
    if (type === 'image/jpeg') await image.jpeg({ quality: 90 }).toFile(target);
    else if (type === 'image/png') await image.png().toFile(target);
    else if (type === 'image/webp') await image.webp({ quality: 90 }).toFile(target);
    else throw new UnreadableImage(`${type} is not an image`);
    return target;
  } catch (error) {
    if (error instanceof UnreadableImage) throw error;
    // libvips' and the HEIF reader's refusals; a system error (a full disk) stays what it is.
    if (error instanceof HeifError || (error instanceof Error && !('code' in error))) {
      throw new UnreadableImage(`the image could not be read: ${error.message}`);
    }
    throw error;
  }
}

/**
 * A photo made small enough for a page of the evidence packet: JPEG, at most `maxSide` pixels on
 * its longer side; null when the bundled libvips cannot decode it (HEIC).
 */
export async function packetImage(
  bytes: Buffer,
  maxSide = 1200,
): Promise<{ data: Buffer; width: number; height: number } | null> {
  try {
    const { data, info } = await sharp(bytes, { failOn: 'none' })
      .rotate()
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null;
  }
}
