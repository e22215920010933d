import { ConfigError, loadConfig } from './app-config';

const MiB = 1024 * 1024;

describe('evidence configuration', () => {
  it('defaults: the file store, 15 MiB files and 200 MiB videos', () => {
    const config = loadConfig({});
    expect(config.evidenceStore).toEqual({ kind: 'fs' });
    expect(config.uploadLimits).toEqual({ video: 200 * MiB, file: 15 * MiB });
  });

  it('REDRESS_MAX_UPLOAD_MB scales both limits', () => {
    expect(loadConfig({ REDRESS_MAX_UPLOAD_MB: '40' }).uploadLimits).toEqual({
      video: 40 * MiB,
      file: 3 * MiB,
    });
    expect(loadConfig({ REDRESS_MAX_UPLOAD_MB: '0.5' }).uploadLimits.video).toBe(MiB / 2);
  });

  it('the S3 store with its bucket, endpoint and region', () => {
    const config = loadConfig({
      REDRESS_EVIDENCE_STORE: 's3',
      REDRESS_S3_BUCKET: 'evidence',
      REDRESS_S3_ENDPOINT: 'http://127.0.0.1:9000',
    });
    expect(config.evidenceStore).toEqual({
      kind: 's3',
      bucket: 'evidence',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
    });
    expect(
      loadConfig({
        REDRESS_EVIDENCE_STORE: 's3',
        REDRESS_S3_BUCKET: 'b',
        REDRESS_S3_REGION: 'eu-west-3',
      }).evidenceStore,
    ).toEqual({ kind: 's3', bucket: 'b', endpoint: null, region: 'eu-west-3' });
  });

  it.each([
    [{ REDRESS_MAX_UPLOAD_MB: '0' }, /^REDRESS_MAX_UPLOAD_MB must be a number of MiB above 0/],
    [{ REDRESS_MAX_UPLOAD_MB: 'lots' }, /^REDRESS_MAX_UPLOAD_MB must be/],
    [{ REDRESS_MAX_UPLOAD_MB: '20000' }, /^REDRESS_MAX_UPLOAD_MB must be .* at most 10240/],
    [{ REDRESS_EVIDENCE_STORE: 'ftp' }, /^REDRESS_EVIDENCE_STORE must be one of fs, s3/],
    [{ REDRESS_EVIDENCE_STORE: 's3' }, /^REDRESS_S3_BUCKET is required/],
    [
      { REDRESS_EVIDENCE_STORE: 's3', REDRESS_S3_BUCKET: 'b', REDRESS_S3_ENDPOINT: 'minio:9000' },
      /^REDRESS_S3_ENDPOINT must be an http\(s\) URL/,
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
