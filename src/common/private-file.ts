import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A secret kept in a file of its own (mode 0600), created on first start and read ever after.
 * Written to a private temporary file and hard-linked into place: link never replaces an existing
 * file, and the content appears whole, so two instances starting together agree on one secret and
 * neither reads a half-written one. Resolves with what the file holds — whoever linked first.
 */
export async function createOnce(file: string, content: () => string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, content(), { flag: 'wx', mode: 0o600, flush: true });
  try {
    await link(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(draft);
  }
  return readFile(file, 'utf8');
}
