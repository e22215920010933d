import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { ApiError, type FieldProblem } from '../common/errors/api-error';
import { validateBody } from '../common/errors/validation';
import { UploadEvidenceFields } from './evidence.dto';
import { limitFor, SNIFF_BYTES, type EvidenceKind } from './media-type';

const MiB = 1024 * 1024;

/** An upload received whole into a temporary file, its fields checked, within its kind's limit. */
export interface ReceivedUpload {
  kind: EvidenceKind;
  description: string | null;
  path: string;
  size: number;
  sha256: string;
  /** Its first bytes, for {@link sniffMediaType}. */
  head: Buffer;
}

/**
 * Counts, hashes and keeps the first bytes of what passes; past `limit` bytes it lets nothing
 * more through but goes on reading, so the client is read to the end and gets a clean 413.
 */
class Meter extends Transform {
  size = 0;
  over = false;
  private readonly hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headLength = 0;

  constructor(private limit: number) {
    super();
  }

  /** Lowers the limit once the kind is known (a `kind` field after the file). */
  narrow(limit: number): void {
    this.limit = Math.min(this.limit, limit);
    if (this.size > this.limit) this.over = true;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.over || this.size > this.limit) {
      this.over = true;
      return done();
    }
    this.hash.update(chunk);
    if (this.headLength < SNIFF_BYTES) {
      this.headChunks.push(chunk.subarray(0, SNIFF_BYTES - this.headLength));
      this.headLength += Math.min(chunk.length, SNIFF_BYTES - this.headLength);
    }
    done(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }

  head(): Buffer {
    return Buffer.concat(this.headChunks);
  }
}

/**
 * Reads a `multipart/form-data` upload (evidence.md): one part `file`, fields `kind` and optional
 * `description`, in any order. The file is streamed into a temporary file under `tempDir` while
 * it is hashed; it is never held whole in memory. Refusals, each after the whole request is read
 * and with nothing left behind: 400 for a missing or unknown part or a bad field, 413 past the
 * kind's limit (`limits`: see evidence-config.ts). The caller owns the temporary file it answers.
 */
export async function receiveUpload(
  request: FastifyRequest,
  tempDir: string,
  limits: { video: number; file: number },
): Promise<ReceivedUpload> {
  const largest = Math.max(limits.video, limits.file);
  const declared = Number(request.headers['content-length']);
  // Beyond any file's limit and what its fields could add: refused before a byte is read.
  if (declared > largest + MiB) throw tooLarge(largest);
  await mkdir(tempDir, { recursive: true });
  const fields: Record<string, string> = {};
  const problems: FieldProblem[] = [];
  let file: { path: string; meter: Meter } | null = null;
  try {
    const parts = request.parts({
      // One byte past the largest limit, so that busboy never cuts a file the meter should refuse.
      limits: { fileSize: largest + 1, files: 1, fields: 4, parts: 5, fieldSize: 8 * 1024 },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname in fields)
          problems.push({ field: part.fieldname, problem: 'is given twice' });
        fields[part.fieldname] =
          typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
        continue;
      }
      if (part.fieldname !== 'file') {
        problems.push({
          field: part.fieldname,
          problem: 'is not a part of an upload (the file goes in "file")',
        });
        part.file.resume();
        continue;
      }
      const kind = knownKind(fields.kind);
      const meter = new Meter(kind ? limitFor(kind, limits) : largest);
      file = { path: join(tempDir, randomUUID()), meter };
      await pipeline(part.file, meter, createWriteStream(file.path));
    }
    const valid = await validateBody(UploadEvidenceFields, fields, problems);
    if (!file) throw ApiError.validation([{ field: 'file', problem: 'is required (one file)' }]);
    const limit = limitFor(valid.kind, limits);
    file.meter.narrow(limit);
    if (file.meter.over) throw tooLarge(limit, valid.kind);
    return {
      kind: valid.kind,
      description: valid.description ?? null,
      path: file.path,
      size: file.meter.size,
      sha256: file.meter.digest(),
      head: file.meter.head(),
    };
  } catch (error) {
    if (file) await rm(file.path, { force: true });
    throw error;
  }
}

function knownKind(raw: string | undefined): EvidenceKind | null {
  return raw === 'photo' || raw === 'video' || raw === 'document' || raw === 'tracking'
    ? raw
    : null;
}

function tooLarge(limit: number, kind?: EvidenceKind): ApiError {
  const mib = Math.round((limit / MiB) * 100) / 100;
  return new ApiError(
    'payload_too_large',
    kind ? `A ${kind} may be at most ${mib} MiB` : `An upload may be at most ${mib} MiB`,
    { limitBytes: limit },
  );
}

/** Size and SHA-256 of a file, read as a stream. */
export async function hashFile(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
