import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOkClient } from '../../adapters/ok/client.js';
import { OkApiError } from '../../adapters/ok/errors.js';
import { ManualClock } from '../../src/clock.js';
import { SourceError } from '../../src/domain/source.js';
import { startOkFake, type OkFake } from '../fakes/ok-server.js';

const keys = { applicationKey: 'CBAFAKEAPP', applicationSecretKey: 'FAKESECRET0123', accessToken: 'tkn.fake-access-token' };
let fake: OkFake;

beforeAll(async () => {
  fake = await startOkFake(keys);
  fake.addGroup({ id: '700001', name: 'Администрация города', shortname: 'gorod_admin' });
});
afterAll(() => fake.close());

const client = (over: Partial<Parameters<typeof createOkClient>[0]> = {}) =>
  createOkClient({ ...keys, baseUrl: fake.baseUrl, clock: new ManualClock('2026-03-01T09:00:00Z'), timeoutMs: 2000, ...over });

async function caught(p: Promise<unknown>): Promise<SourceError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(SourceError);
  return e as SourceError;
}

describe('OK client against the fake', () => {
  it('is accepted by the fake (the signature verifies)', async () => {
    const groups = await client().call<Array<{ uid: string; name: string }>>('group.getInfo', { uids: '700001', fields: 'uid,name' });
    expect(groups).toEqual([expect.objectContaining({ uid: '700001', name: 'Администрация города' })]);
  });

  it('the fake rejects a bad signature with 104', async () => {
    const body = new URLSearchParams({ method: 'group.getInfo', application_key: keys.applicationKey, format: 'json', uids: '700001', access_token: keys.accessToken, sig: '0'.repeat(32) });
    const res = await fetch(`${fake.baseUrl}/fb.do`, { method: 'POST', body });
    expect(await res.json()).toMatchObject({ error_code: 104 });
  });

  it('a client with the wrong secret gets 104 and reports the source broken', async () => {
    const e = await caught(client({ applicationSecretKey: 'WRONG' }).call('group.getInfo', { uids: '700001' }));
    expect(e.kind).toBe('broken');
    expect(e.details.code).toBe(104);
    expect(e.cause).toBeInstanceOf(OkApiError);
  });

  it('retries SERVICE (2) and then succeeds', async () => {
    fake.failNext('group.getInfo', { error_code: 2, error_msg: 'SERVICE : temporarily unavailable' }, 2);
    const before = fake.requests.length;
    await expect(client().call('group.getInfo', { uids: '700001' })).resolves.toHaveLength(1);
    expect(fake.requests.length - before).toBe(3);
  });

  it('gives up on persistent 5xx as retry', async () => {
    fake.failNext('group.getInfo', { http: 502 }, 3);
    const e = await caught(client().call('group.getInfo', { uids: '700001' }));
    expect(e.kind).toBe('retry');
  });

  it('times out a slow answer and retries it', async () => {
    fake.failNext('group.getInfo', { delayMs: 3000 });
    await expect(client({ timeoutMs: 1000 }).call('group.getInfo', { uids: '700001' })).resolves.toHaveLength(1);
  });

  it('maps 102 to broken with a "token expired" message', async () => {
    fake.state.tokenExpired = true;
    try {
      const e = await caught(client().call('group.getInfo', { uids: '700001' }));
      expect(e.kind).toBe('broken');
      expect(e.details.code).toBe(102);
      expect(e.message).toMatch(/token expired/i);
    } finally {
      fake.state.tokenExpired = false;
    }
  });

  it.each([
    [8, 'backoff'],
    [11, 'backoff'],
    [100, 'broken'],
    [160, 'broken'],
    [456, 'broken'],
    [458, 'broken'],
    [10, 'broken'],
  ] as const)('maps error %i to %s without retrying', async (code, kind) => {
    fake.failNext('group.getInfo', { error_code: code });
    const before = fake.requests.length;
    const e = await caught(client().call('group.getInfo', { uids: '700001' }));
    expect(e.kind).toBe(kind);
    expect(fake.requests.length - before).toBe(1);
    if (kind === 'backoff') expect(e.details.retryAfterMs).toBeGreaterThan(0);
  });
});
