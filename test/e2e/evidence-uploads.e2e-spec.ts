import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import {
  PDF,
  GPS_POINTER,
  mp4,
  pdfText,
  phoneHeic,
  phoneJpeg,
  sha256,
  unzip,
} from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { verifyEvidence } from '../support/verify-evidence';

const KiB = 1024;

/** Files stored under the evidence folder (its `.tmp` included: nothing may be left there). */
function storedFiles(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name));
  } catch {
    return [];
  }
}

describe('evidence uploads (evidence.md)', () => {
  let t: TestApp;
  let api: Api;
  let dataDir: string;
  let shop: { id: string; key: string };
  let supplierId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-evidence-'));
    // Small limits so that "over the limit" is cheap: photos 64 KiB, videos 256 KiB.
    t = await startTestApp({
      bootstrapOpsKey: OPS_KEY,
      dataDir,
      uploadLimits: { file: 64 * KiB, video: 256 * KiB },
    });
    api = new Api(t.server);
    shop = await api.merchant('Evidence shop');
    supplierId = (await api.supplier('Evidence factory')).id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const evidenceRoot = () => join(dataDir, 'evidence');
  const openCase = async () =>
    (await api.open(shop.key, supplierId, 'damaged_item', order({ shipped: true }))).id as string;
  const upload = (caseId: string, kind: string, file: Buffer, name = 'f.bin', key = shop.key) =>
    request(t.server)
      .post(`/v1/cases/${caseId}/evidence`)
      .set('authorization', `Bearer ${key}`)
      .field('kind', kind)
      .attach('file', file, { filename: name, contentType: 'application/octet-stream' });
  const rowsOf = async (caseId: string) =>
    (await t.db.pool.query(`SELECT * FROM case_evidence WHERE case_id = $1`, [caseId])).rows;
  const entriesOf = async (caseId: string, type = 'EVIDENCE_ADDED') =>
    (
      await t.db.pool.query(
        `SELECT * FROM timeline_entries WHERE case_id = $1 AND type = $2 ORDER BY seq`,
        [caseId, type],
      )
    ).rows;

  it('a JPEG with GPS EXIF is stored without it, upright, and its bytes come back by their hash', async () => {
    const caseId = await openCase();
    const photo = await phoneJpeg();
    expect((await sharp(photo).metadata()).exif?.includes(GPS_POINTER)).toBe(true);
    const res = await request(t.server)
      .post(`/v1/cases/${caseId}/evidence`)
      .set('authorization', `Bearer ${shop.key}`)
      .field('kind', 'photo')
      .field('description', 'Broken corner')
      .attach('file', photo, { filename: 'IMG_0001.heic', contentType: 'image/heic' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'photo',
      description: 'Broken corner',
      contentType: 'image/jpeg',
      size: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      contentUrl: `/v1/cases/${caseId}/evidence/${res.body.id}/content`,
      uploadedBy: { kind: 'merchant', id: shop.id },
      createdAt: expect.any(String),
    });

    const content = await request(t.server)
      .get(res.body.contentUrl)
      .set('authorization', `Bearer ${shop.key}`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const stored = content.body as Buffer;
    expect(content.headers['content-type']).toBe('image/jpeg');
    expect(content.headers['content-length']).toBe(String(res.body.size));
    expect(content.headers.etag).toBe(`"${res.body.sha256}"`);
    expect(sha256(stored)).toBe(res.body.sha256);
    expect(stored.length).toBe(res.body.size);
    const meta = await sharp(stored).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([48, 64]);
    expect(stored.includes('AcmeCam')).toBe(false);
    expect(stored.includes('SN-0042')).toBe(false);

    await request(t.server)
      .get(res.body.contentUrl)
      .set('authorization', `Bearer ${shop.key}`)
      .set('if-none-match', `"${res.body.sha256}"`)
      .expect(304);

    const [entry] = await entriesOf(caseId);
    expect(entry.payload).toEqual({
      evidenceId: res.body.id,
      kind: 'photo',
      contentType: 'image/jpeg',
      size: res.body.size,
      sha256: res.body.sha256,
    });
    const view = await api.get(`/v1/cases/${caseId}`, shop.key).expect(200);
    expect(view.body.evidence).toEqual([
      expect.objectContaining({
        id: res.body.id,
        url: null,
        contentType: 'image/jpeg',
        sha256: res.body.sha256,
        contentUrl: res.body.contentUrl,
      }),
    ]);
    // Named by its hash in the store.
    expect(storedFiles(evidenceRoot())).toEqual([
      join(evidenceRoot(), res.body.sha256.slice(0, 2), res.body.sha256),
    ]);
  });

  it('a HEIC photo keeps its bytes but loses its Exif item (camera, serial, position)', async () => {
    const caseId = await openCase();
    const heic = await phoneHeic();
    expect(heic.includes('SN-0042')).toBe(true);
    const res = await upload(caseId, 'photo', heic, 'IMG_0002.HEIC').expect(201);
    expect(res.body).toMatchObject({ contentType: 'image/heic', size: heic.length });
    const stored = readFileSync(join(evidenceRoot(), res.body.sha256.slice(0, 2), res.body.sha256));
    expect(sha256(stored)).toBe(res.body.sha256);
    expect(stored.includes('AcmeCam')).toBe(false);
    expect(stored.includes('SN-0042')).toBe(false);
    expect(stored.subarray(0, 12).equals(heic.subarray(0, 12))).toBe(true);
  });

  it('the same bytes twice are two pieces of evidence and one stored file', async () => {
    const caseId = await openCase();
    const before = storedFiles(evidenceRoot()).length;
    const first = await upload(caseId, 'document', PDF, 'a.pdf').expect(201);
    const second = await upload(caseId, 'tracking', PDF, 'b.pdf').expect(201);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect(second.body.id).not.toBe(first.body.id);
    expect(first.body).toMatchObject({ contentType: 'application/pdf', size: PDF.length });
    expect(first.body.sha256).toBe(sha256(PDF));
    expect(storedFiles(evidenceRoot())).toHaveLength(before + 1);
    expect(await rowsOf(caseId)).toHaveLength(2);
  });

  it('a PDF claimed as a photo, or bytes of no accepted type: 415, nothing kept', async () => {
    const caseId = await openCase();
    const before = storedFiles(evidenceRoot());
    const asPhoto = await upload(caseId, 'photo', PDF, 'photo.jpg').expect(415);
    expect(asPhoto.body).toMatchObject({
      error: 'unsupported_media_type',
      message: 'The file is application/pdf, which photo evidence cannot be',
      contentType: 'application/pdf',
    });
    const text = await upload(caseId, 'document', Buffer.from('just some text\n'), 'a.pdf');
    expect(text.status).toBe(415);
    const jpegAsVideo = await upload(caseId, 'video', await phoneJpeg(), 'v.mp4');
    expect(jpegAsVideo.status).toBe(415);
    // A JPEG's signature with no picture behind it.
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 9)]);
    expect((await upload(caseId, 'photo', fake, 'x.jpg')).status).toBe(415);
    expect(storedFiles(evidenceRoot())).toEqual(before);
    expect(await rowsOf(caseId)).toHaveLength(0);
    expect(await entriesOf(caseId)).toHaveLength(0);
  });

  it('over the limit: 413, and no file, no row, no entry', async () => {
    const caseId = await openCase();
    const before = storedFiles(evidenceRoot());
    const big = await phoneJpeg({ width: 400, height: 300, seed: 3 });
    expect(big.length).toBeGreaterThan(64 * KiB);
    const res = await upload(caseId, 'photo', big, 'big.jpg').expect(413);
    expect(res.body.error).toBe('payload_too_large');
    // The kind after the file: the limit still applies once it is known.
    const late = await request(t.server)
      .post(`/v1/cases/${caseId}/evidence`)
      .set('authorization', `Bearer ${shop.key}`)
      .attach('file', big, 'big.jpg')
      .field('kind', 'photo');
    expect(late.status).toBe(413);
    await upload(caseId, 'video', mp4(300 * KiB), 'v.mp4').expect(413);
    // A video may be larger than a photo.
    const video = await upload(caseId, 'video', mp4(200 * KiB), 'v.mp4').expect(201);
    expect(video.body.contentType).toBe('video/mp4');
    expect(storedFiles(evidenceRoot())).toHaveLength(before.length + 1);
    expect(await rowsOf(caseId)).toHaveLength(1);
    expect(await entriesOf(caseId)).toHaveLength(1);
  });

  it('refuses a form without its parts, another case, and multipart on other routes', async () => {
    const caseId = await openCase();
    const noKind = await request(t.server)
      .post(`/v1/cases/${caseId}/evidence`)
      .set('authorization', `Bearer ${shop.key}`)
      .attach('file', PDF, 'a.pdf')
      .expect(400);
    expect(noKind.body.details).toEqual([expect.objectContaining({ field: 'kind' })]);
    const noFile = await request(t.server)
      .post(`/v1/cases/${caseId}/evidence`)
      .set('authorization', `Bearer ${shop.key}`)
      .field('kind', 'document')
      .expect(400);
    expect(noFile.body.details).toEqual([expect.objectContaining({ field: 'file' })]);
    const other = await api.merchant('Other shop');
    await upload(caseId, 'document', PDF, 'a.pdf', other.key).expect(404);
    await upload('00000000-0000-4000-8000-000000000000', 'document', PDF).expect(404);
    const onOpen = await request(t.server)
      .post('/v1/cases')
      .set('authorization', `Bearer ${shop.key}`)
      .field('type', 'damaged_item')
      .expect(415);
    expect(onOpen.body.error).toBe('unsupported_media_type');
    expect(await rowsOf(caseId)).toHaveLength(0);
  });

  it('the OpenAPI document describes both bodies and the new routes', async () => {
    const doc = await request(t.server).get('/docs-json').expect(200);
    const post = doc.body.paths['/v1/cases/{id}/evidence'].post;
    const multipart = post.requestBody.content['multipart/form-data'].schema;
    expect(multipart.required).toEqual(['file', 'kind']);
    expect(multipart.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AddEvidenceDto',
    );
    expect(doc.body.components.schemas.AddEvidenceDto.properties.url).toBeDefined();
    expect(doc.body.paths['/v1/cases/{id}/evidence/{evidenceId}/content'].get).toBeDefined();
    expect(doc.body.paths['/v1/cases/{id}/packet'].get.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'format', in: 'query' })]),
    );
  });

  it('the JSON body with an https url keeps working', async () => {
    const caseId = await openCase();
    const res = await api.evidence(shop.key, caseId, 'photo').expect(201);
    expect(res.body).toMatchObject({ kind: 'photo', url: expect.stringMatching(/^https:/) });
    const [entry] = await entriesOf(caseId);
    expect(entry.payload).toMatchObject({ evidenceId: res.body.id, url: res.body.url });
    await api
      .post(`/v1/cases/${caseId}/evidence`, shop.key, { kind: 'photo', url: 'http://x.example' })
      .expect(400);
    // A link has no bytes here.
    await api.get(`/v1/cases/${caseId}/evidence/${res.body.id}/content`, shop.key).expect(404);
  });

  it('the packet: a ZIP whose timeline.ndjson verifies and a PDF with the head hash', async () => {
    const caseId = await openCase();
    const photo = await upload(caseId, 'photo', await phoneJpeg({ seed: 9 }), 'p.jpg').expect(201);
    const doc = await upload(caseId, 'document', PDF, 'r.pdf').expect(201);
    await api.evidence(shop.key, caseId, 'tracking').expect(201);
    const binary = (req: request.Test) =>
      req.buffer(true).parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });

    const zip = await binary(api.get(`/v1/cases/${caseId}/packet?format=zip`, shop.key)).expect(
      200,
    );
    expect(zip.headers['content-type']).toBe('application/zip');
    const files = unzip(zip.body as Buffer);
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    const timeline = await api.timeline(shop.key, caseId).expect(200);
    expect(manifest.case).toMatchObject({ id: caseId, type: 'damaged_item' });
    // The case's money (money.md): nothing refunded yet, the whole order claimed.
    expect(manifest.ledger).toMatchObject({
      caseId,
      supplierRefunded: expect.any(String),
      outstanding: manifest.ledger.claimed,
      entries: [],
    });
    expect(manifest.timeline).toEqual({
      file: 'timeline.ndjson',
      head: timeline.body.integrity.head,
      valid: true,
    });
    expect(manifest.evidence).toHaveLength(3);
    const photoFile = `evidence/${photo.body.sha256}.jpg`;
    expect(sha256(files.get(photoFile)!)).toBe(photo.body.sha256);
    expect(sha256(files.get(`evidence/${doc.body.sha256}.pdf`)!)).toBe(doc.body.sha256);
    const ndjson = files.get('timeline.ndjson')!.toString();
    expect(ndjson.trim().split('\n')).toHaveLength(timeline.body.events.length);
    const dir = mkdtempSync(join(tmpdir(), 'redress-packet-'));
    try {
      writeFileSync(join(dir, 'timeline.ndjson'), ndjson);
      const verify = spawnSync(
        process.execPath,
        [resolve(__dirname, '../../scripts/verify-export.js'), join(dir, 'timeline.ndjson')],
        { encoding: 'utf8' },
      );
      expect(verify.stdout).toMatch(`OK ${timeline.body.events.length} entries, 1 cases`);
      expect(timeline.body.events).toHaveLength(4);
      expect(verify.status).toBe(0);
      // And an edited line does not.
      writeFileSync(join(dir, 'timeline.ndjson'), ndjson.replace('"photo"', '"video"'));
      const broken = spawnSync(
        process.execPath,
        [resolve(__dirname, '../../scripts/verify-export.js'), join(dir, 'timeline.ndjson')],
        { encoding: 'utf8' },
      );
      expect(broken.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const pdf = await binary(api.get(`/v1/cases/${caseId}/packet?format=pdf`, shop.key)).expect(
      200,
    );
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const bytes = pdf.body as Buffer;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.includes(timeline.body.integrity.head)).toBe(true);
    const text = pdfText(bytes);
    expect(text).toContain(timeline.body.integrity.head);
    expect(text).toContain('verifies: yes');
    expect(text).toContain(`sha256 ${photo.body.sha256}`);
    expect(text).toContain(`sha256 ${doc.body.sha256}`);
    expect(text).toContain('Claimed from the supplier:');
    expect(text).toContain('Outstanding:');
    for (const entry of timeline.body.events as { hash: string }[])
      expect(text).toContain(entry.hash);
    expect(bytes.includes('/Subtype /Image')).toBe(true);

    await api.get(`/v1/cases/${caseId}/packet?format=doc`, shop.key).expect(400);
    const other = await api.merchant('Nosy shop');
    await api.get(`/v1/cases/${caseId}/packet?format=pdf`, other.key).expect(404);
    await api.get(`/v1/cases/${caseId}/packet?format=zip`, OPS_KEY).expect(200);
  });
});

describe('npm run verify-evidence (file store)', () => {
  let t: TestApp;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-verify-'));
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, dataDir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes while every stored file hashes as its entry says, and names the one that does not', async () => {
    const api = new Api(t.server);
    const shop = await api.merchant('Verified shop');
    const factory = await api.supplier('Verified factory');
    const caseId = (await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true })))
      .id as string;
    const send = (kind: string, file: Buffer) =>
      request(t.server)
        .post(`/v1/cases/${caseId}/evidence`)
        .set('authorization', `Bearer ${shop.key}`)
        .field('kind', kind)
        .attach('file', file, 'f')
        .expect(201);
    const photo = await send('photo', await phoneJpeg({ seed: 21 }));
    const doc = await send('document', PDF);
    await api.evidence(shop.key, caseId, 'tracking').expect(201);
    const env = { DATABASE_URL: t.db.url, REDRESS_DATA_DIR: dataDir };
    const clean = await verifyEvidence(env);
    expect(clean.out).toMatch(/^OK 2 evidence files, 2 stored files/);
    expect(clean.status).toBe(0);

    const path = join(dataDir, 'evidence', photo.body.sha256.slice(0, 2), photo.body.sha256);
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from('x')]));
    const edited = await verifyEvidence(env);
    expect(edited.status).toBe(1);
    expect(edited.out).toContain(`MISMATCH evidence ${photo.body.id} of case ${caseId}`);
    expect(edited.out).not.toContain(doc.body.id);
    expect(edited.out).toContain('BROKEN 1 of 2');

    rmSync(path);
    const removed = await verifyEvidence(env);
    expect(removed.status).toBe(1);
    expect(removed.out).toContain(`MISSING evidence ${photo.body.id} of case ${caseId}`);
  });
});
