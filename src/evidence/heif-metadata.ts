import { open, type FileHandle } from 'node:fs/promises';

/**
 * Removes the metadata items of a HEIF/HEIC file in place: the bytes of every `Exif` item (camera
 * serial, GPS position...) and every XMP item (`mime` of `application/rdf+xml`) are overwritten
 * with zeros, the file's structure untouched, so the picture still opens and nothing of where it
 * was taken is left. Why not re-encode, as for JPEG: the libvips inside `sharp`'s npm package
 * cannot decode HEVC (a patent-encumbered codec left out of the prebuilt binaries).
 *
 * The boxes read (ISO/IEC 14496-12 and 23008-12): the top-level `meta`, its `iinf` (item types)
 * and `iloc` (where each item's bytes are: file offsets, or offsets inside `idat`). Answers how
 * many items were cleared; throws {@link HeifError} when the file is not HEIF as expected.
 */
export async function clearHeifMetadata(path: string): Promise<number> {
  const file = await open(path, 'r+');
  try {
    const size = (await file.stat()).size;
    const meta = await findBox(file, 0, size, 'meta');
    if (!meta) return 0;
    // `meta` is a full box (4 bytes of version and flags) and small: read it whole.
    const bytes = await readAt(file, meta.start, meta.end - meta.start);
    const children = boxesIn(bytes, meta.bodyStart - meta.start + 4, bytes.length);
    const iinf = children.find((b) => b.type === 'iinf');
    const iloc = children.find((b) => b.type === 'iloc');
    const idat = children.find((b) => b.type === 'idat');
    if (!iinf || !iloc) return 0;
    const targets = metadataItems(bytes, iinf);
    if (targets.size === 0) return 0;
    let cleared = 0;
    for (const item of itemLocations(bytes, iloc)) {
      if (!targets.has(item.id)) continue;
      for (const extent of item.extents) {
        const base =
          item.method === 0 ? 0 : item.method === 1 && idat ? meta.start + idat.bodyStart : null;
        if (base === null)
          throw new HeifError(`item ${item.id}: construction method ${item.method}`);
        const at = base + item.baseOffset + extent.offset;
        const length = extent.length || size - at;
        if (at < 0 || at + length > size)
          throw new HeifError(`item ${item.id} lies outside the file`);
        await zero(file, at, length);
      }
      cleared += 1;
    }
    return cleared;
  } finally {
    await file.close();
  }
}

export class HeifError extends Error {}

interface Box {
  type: string;
  start: number;
  bodyStart: number;
  end: number;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new HeifError('the file ends inside a box');
  return buffer;
}

async function zero(file: FileHandle, at: number, length: number): Promise<void> {
  const chunk = Buffer.alloc(Math.min(length, 64 * 1024));
  for (let done = 0; done < length; done += chunk.length) {
    await file.write(chunk, 0, Math.min(chunk.length, length - done), at + done);
  }
}

/** The first top-level box of a type, read header by header (the file is not loaded). */
async function findBox(file: FileHandle, from: number, to: number, type: string) {
  for (let at = from; at + 8 <= to; ) {
    const header = await readAt(file, at, Math.min(16, to - at));
    const box = boxAt(header, 0, to - at);
    const found = { ...box, start: at, bodyStart: at + box.bodyStart, end: at + box.end };
    if (found.type === type) return found;
    at = found.end;
  }
  return null;
}

/** The box whose header starts at `at` of `bytes` (`limit`: where its parent ends). */
function boxAt(bytes: Buffer, at: number, limit: number): Box {
  let size = bytes.readUInt32BE(at);
  const type = bytes.toString('latin1', at + 4, at + 8);
  let bodyStart = at + 8;
  if (size === 1) {
    size = Number(bytes.readBigUInt64BE(at + 8));
    bodyStart = at + 16;
  } else if (size === 0) {
    size = limit - at;
  }
  if (size < bodyStart - at || at + size > limit) throw new HeifError(`box ${type} is malformed`);
  return { type, start: at, bodyStart, end: at + size };
}

function boxesIn(bytes: Buffer, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  for (let at = from; at + 8 <= to; ) {
    const box = boxAt(bytes, at, to);
    boxes.push(box);
    at = box.end;
  }
  return boxes;
}

/** Ids of the items of type `Exif`, or `mime` items of XMP, from `iinf`. */
function metadataItems(bytes: Buffer, iinf: Box): Set<number> {
  const version = bytes[iinf.bodyStart];
  const first = iinf.bodyStart + 4 + (version === 0 ? 2 : 4);
  const ids = new Set<number>();
  for (const infe of boxesIn(bytes, first, iinf.end)) {
    if (infe.type !== 'infe') continue;
    const v = bytes[infe.bodyStart];
    if (v < 2) continue; // versions 0 and 1 carry no item type
    let at = infe.bodyStart + 4;
    const id = v === 2 ? bytes.readUInt16BE(at) : bytes.readUInt32BE(at);
    at += (v === 2 ? 2 : 4) + 2;
    const itemType = bytes.toString('latin1', at, at + 4);
    at += 4;
    if (itemType === 'Exif') ids.add(id);
    if (itemType === 'mime') {
      const nameEnd = bytes.indexOf(0, at);
      const typeStart = nameEnd + 1;
      const typeEnd = bytes.indexOf(0, typeStart);
      const contentType = bytes.toString('latin1', typeStart, typeEnd < 0 ? infe.end : typeEnd);
      if (nameEnd >= 0 && contentType.startsWith('application/rdf+xml')) ids.add(id);
    }
  }
  return ids;
}

interface ItemLocation {
  id: number;
  method: number;
  baseOffset: number;
  extents: { offset: number; length: number }[];
}

/** The items of `iloc` with their extents. */
function itemLocations(bytes: Buffer, iloc: Box): ItemLocation[] {
  const version = bytes[iloc.bodyStart];
  let at = iloc.bodyStart + 4;
  const offsetSize = bytes[at] >> 4;
  const lengthSize = bytes[at] & 15;
  const baseOffsetSize = bytes[at + 1] >> 4;
  const indexSize = version === 1 || version === 2 ? bytes[at + 1] & 15 : 0;
  at += 2;
  const read = (n: number): number => {
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + bytes[at + i];
    at += n;
    return value;
  };
  const count = version < 2 ? read(2) : read(4);
  const items: ItemLocation[] = [];
  for (let i = 0; i < count; i++) {
    const id = version < 2 ? read(2) : read(4);
    const method = version === 1 || version === 2 ? read(2) & 15 : 0;
    read(2); // data_reference_index
    const baseOffset = read(baseOffsetSize);
    const extentCount = read(2);
    const extents = [];
    for (let e = 0; e < extentCount; e++) {
      read(indexSize);
      extents.push({ offset: read(offsetSize), length: read(lengthSize) });
    }
    if (at > iloc.end) throw new HeifError('iloc is malformed');
    items.push({ id, method, baseOffset, extents });
  }
  return items;
}
