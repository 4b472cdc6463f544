import type { ReplyPhoto } from '../../src/domain/source.js';
import type { VkCaller } from './client.js';

/**
 * Uploads photos for a wall comment the way VK wants it: photos.getWallUploadServer →
 * multipart POST of the file to `upload_url` → photos.saveWallPhoto; returns the
 * `photo<owner>_<id>` attachment strings for wall.createComment.
 */
export async function uploadWallPhotos(caller: VkCaller, groupId: number | undefined, photos: ReplyPhoto[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of photos) {
    const server = await caller.call<{ upload_url: string }>('photos.getWallUploadServer', { group_id: groupId });
    const form = new FormData();
    form.append('photo', new Blob([p.data], { type: 'image/jpeg' }), p.filename);
    const res = await fetch(server.upload_url, { method: 'POST', body: form });
    if (!res.ok) throw new Error(`VK photo upload: HTTP ${res.status}`);
    const uploaded = (await res.json()) as { server: number; photo: string; hash: string };
    if (!uploaded.photo || uploaded.photo === '[]') throw new Error('VK photo upload: the server kept no photo');
    const [saved] = await caller.call<Array<{ id: number; owner_id: number }>>('photos.saveWallPhoto', { group_id: groupId, server: uploaded.server, photo: uploaded.photo, hash: uploaded.hash });
    if (!saved) throw new Error('VK photos.saveWallPhoto returned nothing');
    out.push(`photo${saved.owner_id}_${saved.id}`);
  }
  return out;
}
