import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AppProcess, startAppProcess } from '../support/app-process';
import { mp4, phoneJpeg } from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const MiB = 1024 * 1024;

/** The child's resident set, from /proc (what the operating system charges the process). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs `work` while sampling the child's RSS; its peak growth over the start, in MiB. */
async function rssGrowth(pid: number, work: () => Promise<void>): Promise<number> {
  await new Promise((r) => setTimeout(r, 500));
  const base = rssOf(pid);
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return (Math.max(peak, rssOf(pid)) - base) / MiB;
}

const BOUNDARY = 'redress-memory-test-boundary';

/** A multipart upload of `size` bytes of MP4, generated as it is sent (never whole in memory). */
function streamedVideo(size: number): Readable {
  async function* parts() {
    yield Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nvideo\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="v.mp4"\r\n` +
        `Content-Type: video/mp4\r\n\r\n`,
    );
    const head = mp4(64 * 1024);
    yield head;
    const chunk = Buffer.alloc(MiB, 0x5a);
    for (let sent = head.length; sent < size; sent += chunk.length) {
      yield sent + chunk.length <= size ? chunk : chunk.subarray(0, size - sent);
    }
    yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  }
  return Readable.from(parts());
}

/**
 * QUALITY.md: "RSS growth < 60 MiB for a 150 MiB video", and a packet of a case with 50 photos
 * within the same bound. Measured on the built app as a child process (its RSS from /proc), so
 * jest's own memory does not count.
 */
describe('evidence in bounded memory (app process)', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let dataDir: string;
  let api: Api;
  let shop: { id: string; key: string };
  let supplierId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'redress-evidence-memory-'));
    app = await startAppProcess({
      DATABASE_URL: db.url,
      REDRESS_DATA_DIR: dataDir,
      REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
      REDRESS_SCHEDULER: '0',
      REDRESS_DISPATCHER: '0',
      REDRESS_RATE_LIMIT_PER_SECOND: '100000',
      // 150 MiB must arrive well within the request timeout on a loaded machine.
      REDRESS_REQUEST_TIMEOUT_MS: '300000',
      LOG_LEVEL: 'error',
    });
    api = new Api(app.baseUrl);
    shop = await api.merchant('Heavy shop');
    supplierId = (await api.supplier('Heavy factory')).id;
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const openCase = async () =>
    (await api.open(shop.key, supplierId, 'damaged_item', order({ shipped: true }))).id as string;
  const uploadPhoto = async (caseId: string, photo: Buffer) => {
    const form = new FormData();
    form.append('kind', 'photo');
    form.append('file', new Blob([photo]), 'p.jpg');
    const res = await fetch(`${app.baseUrl}/v1/cases/${caseId}/evidence`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shop.key}` },
      body: form,
    });
    expect(res.status).toBe(201);
  };
  const drain = async (path: string) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${shop.key}` },
    });
    expect(res.status).toBe(200);
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      size += chunk.length;
    return size;
  };

  it('a 150 MiB video upload: RSS grows < 60 MiB', async () => {
    const caseId = await openCase();
    // Every code path warm first (multipart, sharp, the store), then the baseline.
    await uploadPhoto(caseId, await phoneJpeg({ seed: 1 }));
    const send = async (size: number) => {
      const res = await fetch(`${app.baseUrl}/v1/cases/${caseId}/evidence`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${shop.key}`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        },
        body: Readable.toWeb(streamedVideo(size)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const body = (await res.json()) as { size: number; contentType: string };
      expect(res.status).toBe(201);
      expect(body).toMatchObject({ size, contentType: 'video/mp4' });
    };
    await send(4 * MiB);
    const growth = await rssGrowth(app.child.pid!, () => send(150 * MiB));
    expect(growth).toBeLessThan(60);
  }, 300_000);

  it('the packet of a case with 50 photos (PDF and ZIP): RSS grows < 60 MiB', async () => {
    const caseId = await openCase();
    const warm = await openCase();
    for (let i = 0; i < 50; i++) {
      await uploadPhoto(caseId, await phoneJpeg({ width: 1600, height: 1200, seed: 100 + i }));
    }
    await uploadPhoto(warm, await phoneJpeg({ width: 1600, height: 1200, seed: 99 }));
    await drain(`/v1/cases/${warm}/packet?format=pdf`);
    await drain(`/v1/cases/${warm}/packet?format=zip`);
    let pdfSize = 0;
    const pdf = await rssGrowth(app.child.pid!, async () => {
      pdfSize = await drain(`/v1/cases/${caseId}/packet?format=pdf`);
    });
    let zipSize = 0;
    const zip = await rssGrowth(app.child.pid!, async () => {
      zipSize = await drain(`/v1/cases/${caseId}/packet?format=zip`);
    });
    expect(pdfSize).toBeGreaterThan(50 * 50 * 1024);
    expect(zipSize).toBeGreaterThan(50 * 100 * 1024);
    expect(pdf).toBeLessThan(60);
    expect(zip).toBeLessThan(60);
  }, 300_000);
});
