import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import sharp from 'sharp';
import request from 'supertest';
import { objectKey } from '../../src/evidence/store/s3-evidence-store';
import { PDF, phoneJpeg, sha256 } from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { LocalS3, startLocalS3 } from '../support/s3-server';
import { startTestApp, TestApp } from '../support/test-app';
import { verifyEvidence } from '../support/verify-evidence';

async function bytesOf(body: unknown): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** evidence.md "Storage": the s3 driver against a real S3-compatible server on 127.0.0.1. */
describe('evidence in an S3-compatible store', () => {
  let s3: LocalS3;
  let client: S3Client;
  let t: TestApp;
  let dataDir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    s3 = await startLocalS3();
    // The SDK reads its credentials from the usual variables, as the app does in production.
    process.env.AWS_ACCESS_KEY_ID = s3.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = s3.env.AWS_SECRET_ACCESS_KEY;
    client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    dataDir = mkdtempSync(join(tmpdir(), 'redress-s3-temp-'));
    t = await startTestApp({
      bootstrapOpsKey: OPS_KEY,
      dataDir,
      evidenceStore: { kind: 's3', bucket: s3.bucket, endpoint: s3.endpoint, region: 'us-east-1' },
    });
  });
  afterAll(async () => {
    await t?.close();
    client?.destroy();
    await s3?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.env = saved;
  });

  it('uploads land as objects named by their hash, read back byte for byte, kept once', async () => {
    const api = new Api(t.server);
    const shop = await api.merchant('S3 shop');
    const factory = await api.supplier('S3 factory');
    const caseId = (await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true })))
      .id as string;
    const send = (kind: string, file: Buffer) =>
      request(t.server)
        .post(`/v1/cases/${caseId}/evidence`)
        .set('authorization', `Bearer ${shop.key}`)
        .field('kind', kind)
        .attach('file', file, 'f')
        .expect(201);
    const photo = await send('photo', await phoneJpeg({ seed: 5 }));
    await send('document', PDF);
    await send('tracking', PDF);

    const object = await client.send(
      new GetObjectCommand({ Bucket: s3.bucket, Key: objectKey(photo.body.sha256) }),
    );
    const stored = await bytesOf(object.Body);
    expect(sha256(stored)).toBe(photo.body.sha256);
    expect(object.ContentType).toBe('image/jpeg');
    expect((await sharp(stored).metadata()).exif).toBeUndefined();
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(
      [objectKey(photo.body.sha256), objectKey(sha256(PDF))].sort(),
    );

    const content = await api
      .get(photo.body.contentUrl as string, shop.key)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(sha256(content.body as Buffer)).toBe(photo.body.sha256);
    expect(content.headers.etag).toBe(`"${photo.body.sha256}"`);

    // verify-evidence reads the same bucket.
    const env = { DATABASE_URL: t.db.url, REDRESS_DATA_DIR: dataDir, ...s3.env };
    const clean = await verifyEvidence(env);
    expect(clean.out).toMatch(/^OK 3 evidence files, 2 stored files/);
    expect(clean.status).toBe(0);
    await client.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: objectKey(sha256(PDF)),
        Body: Buffer.concat([PDF, Buffer.from('%tampered')]),
      }),
    );
    const tampered = await verifyEvidence(env);
    expect(tampered.status).toBe(1);
    expect(tampered.out.match(/^MISMATCH evidence /gm)).toHaveLength(2);
    await client.send(
      new DeleteObjectCommand({ Bucket: s3.bucket, Key: objectKey(photo.body.sha256) }),
    );
    const missing = await verifyEvidence(env);
    expect(missing.out).toContain(`MISSING evidence ${photo.body.id} of case ${caseId}`);
    await api.get(photo.body.contentUrl as string, shop.key).expect(404);
  });
});
