import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, createRedactor } from '../src/log.js';

describe('logging never leaks tokens', () => {
  const env = { VK_TOKEN: 'vk1.a.SECRETSECRET', TELEGRAM_BOT_TOKEN: '123456:AAE-botsecret', OK_ACCESS_TOKEN: 'ok-token-secret' };

  it('redacts env secrets, access_token params and bot URLs from every line', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
    const log = createLogger({ env, destination: destination as never, level: 'info' });
    log.info({ url: 'https://api.telegram.org/bot999:XYZ-other/getUpdates' }, 'polling');
    log.warn({ err: new Error('VK said no for access_token=vk1.a.SECRETSECRET&v=5.199') }, 'failed');
    log.info({ token: 'whatever', nested: { access_token: 'zzz' } }, 'with %s', 'ok-token-secret');
    const all = lines.join('');
    for (const secret of ['SECRETSECRET', 'botsecret', 'XYZ-other', 'ok-token-secret', 'zzz', 'whatever']) expect(all).not.toContain(secret);
    expect(all).toContain('[redacted]');
  });

  it('the redactor leaves ordinary text alone', () => {
    const redact = createRedactor(env);
    expect(redact('Яма на Ленина 5')).toBe('Яма на Ленина 5');
    expect(redact('token 123456:AAE-botsecret here')).toBe('token [redacted] here');
  });
});
