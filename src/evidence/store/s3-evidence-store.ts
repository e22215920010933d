import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { EvidenceStore, MissingEvidenceFile, storedName } from './evidence-store';

export interface S3StoreOptions {
  bucket: string;
  /** An S3-compatible server (MinIO, R2...); null for AWS. */
  endpoint: string | null;
  region: string;
}

/** The client of an S3-compatible store; credentials from the usual AWS variables or profile. */
export function s3Client(options: S3StoreOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    // Checksums only where the API requires them: S3-compatible servers (older MinIO, s3rver)
    // do not all read the SDK's default aws-chunked uploads with trailing checksums. The
    // content is checked anyway: its name is its SHA-256.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Evidence files as objects `evidence/ab/abcdef...` of one bucket. A finished upload is sent from
 * its temporary file (its length known, streamed); one already there is not sent again.
 */
export class S3EvidenceStore implements EvidenceStore {
  private readonly client: S3Client;

  constructor(
    private readonly options: S3StoreOptions,
    readonly tempDir: string,
  ) {
    this.client = s3Client(options);
  }

  async put(tempPath: string, sha256: string, size: number, contentType: string): Promise<void> {
    const Key = objectKey(sha256);
    try {
      if (!(await this.exists(Key))) {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.options.bucket,
            Key,
            Body: createReadStream(tempPath),
            ContentLength: size,
            ContentType: contentType,
          }),
        );
      }
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  async open(sha256: string): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.options.bucket, Key: objectKey(sha256) }),
      );
      return answer.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || error instanceof NotFound) {
        throw new MissingEvidenceFile(sha256);
      }
      throw error;
    }
  }

  /** Closes the client's sockets (Nest calls it at shutdown). */
  onModuleDestroy(): void {
    this.client.destroy();
  }

  private async exists(Key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key }));
      return true;
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') {
        return false;
      }
      throw error;
    }
  }
}

/** The object key of a file (scripts/verify-evidence.js reads the same). */
export function objectKey(sha256: string): string {
  return `evidence/${storedName(sha256)}`;
}
