import { createReadStream } from 'node:fs';
import { link, mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { EvidenceStore, MissingEvidenceFile, storedName } from './evidence-store';

/**
 * Evidence files in a folder (`<data dir>/evidence/ab/abcdef...`), temporary files in its `.tmp`
 * (the same file system, so a finished upload is linked into place, never copied). A file comes
 * into place whole or not at all: `link` fails when the name is taken, which is the same bytes.
 */
export class FsEvidenceStore implements EvidenceStore {
  readonly tempDir: string;

  constructor(readonly root: string) {
    this.tempDir = join(root, '.tmp');
  }

  async put(tempPath: string, sha256: string): Promise<void> {
    const target = join(this.root, storedName(sha256));
    await mkdir(dirname(target), { recursive: true });
    try {
      await link(tempPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  async open(sha256: string): Promise<Readable> {
    const path = join(this.root, storedName(sha256));
    try {
      await stat(path);
    } catch {
      throw new MissingEvidenceFile(sha256);
    }
    return createReadStream(path);
  }
}
