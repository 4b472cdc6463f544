import { describe, expect, it } from 'vitest';
import { okSessionSecret, signOkParams } from '../../adapters/ok/sign.js';

// Published vector (aiookru docs, see channel-apis.md §2.1).
const vector = {
  applicationKey: 'ABCDEFGHIGKLMNOPK',
  applicationSecretKey: 'ABC123DEF456GHI789JKL123',
  accessToken: '-s-84W-s3egarWUsbkq-IWTucuedzTKT8VUXIA.s4Xx8IW7',
};

describe('signOkParams', () => {
  it('derives the session secret of the published vector', () => {
    expect(okSessionSecret(vector)).toBe('b1a2b89707a94624c43afae67d59274c');
  });

  it('signs the published vector', () => {
    const params = { application_key: vector.applicationKey, format: 'json', method: 'events.get' };
    expect(signOkParams(params, vector)).toBe('232c8eb921951c4dba9b72606f9ddb4c');
  });

  it('ignores sig, access_token and session_key and the order of keys', () => {
    const params = { method: 'events.get', format: 'json', application_key: vector.applicationKey };
    const noisy = { ...params, sig: 'x', access_token: vector.accessToken, session_key: 'y' };
    expect(signOkParams(noisy, vector)).toBe('232c8eb921951c4dba9b72606f9ddb4c');
  });

  it('uses the application secret alone without a session', () => {
    const a = signOkParams({ method: 'url.getInfo' }, { applicationSecretKey: 'sec' });
    const b = signOkParams({ method: 'url.getInfo' }, { applicationSecretKey: 'sec', accessToken: 'tok' });
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });

  it('signs raw UTF-8 values and JSON of objects', () => {
    const keys = { applicationSecretKey: 'sec' };
    const withObj = signOkParams({ attachment: { media: [{ type: 'text', text: 'Яма' }] } }, keys);
    const withJson = signOkParams({ attachment: '{"media":[{"type":"text","text":"Яма"}]}' }, keys);
    expect(withObj).toBe(withJson);
  });
});
