import { ManualClock } from '../../src/clock.js';
import type { SourceRef } from '../../src/domain/source.js';
import { createVkAdapter, type VkAdapterOptions } from '../../adapters/vk/index.js';
import { startVkFake, type VkFake, type VkFakeOptions } from '../fakes/vk-server.js';

export const T0 = '2025-03-03T09:00:00Z';

/** A fake and an adapter sharing one manual clock; rps is high so vk-io's spacing does not slow tests. */
export async function setupVk(adapterOpts: Partial<VkAdapterOptions> = {}, fakeOpts: VkFakeOptions = {}) {
  const clock = new ManualClock(T0);
  const fake: VkFake = await startVkFake({ now: () => Math.floor(clock.now().getTime() / 1000), groupTokens: { 'group-token': 99 }, ...fakeOpts });
  const adapter = createVkAdapter({ token: 'user-token', groupToken: 'group-token', groupId: 99, apiBaseUrl: fake.apiBaseUrl, rps: 1000, groupRps: 1000, clock, overlapSec: 600, ...adapterOpts });
  return { clock, fake, adapter };
}

let nextId = 1;
export function source(kind: string, reference: string, options: Record<string, unknown> = {}): SourceRef {
  return { id: nextId++, channel: 'vk', kind, reference, options };
}
