// Output paths are checked before any work starts: an unwritable path exits 1 at once.
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export class OutputPathError extends Error {
  constructor(flag: string, path: string, cause: string) {
    super(`${flag} ${path} is not writable: ${cause}`);
    this.name = 'OutputPathError';
  }
}

/** Creates the folder if needed and checks it is writable. */
export async function checkWritableDirectory(flag: string, path: string): Promise<void> {
  try {
    // Only the last folder is created: its parent must exist and be a writable folder (a recursive
    // mkdir under /proc or a file spins or fails obscurely).
    const parent = dirname(resolve(path));
    const info = await stat(parent);
    if (!info.isDirectory()) throw new Error(`${parent} is not a folder`);
    await mkdir(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    if (!(await stat(path)).isDirectory()) throw new Error('it exists and is not a folder');
    await access(path, constants.W_OK);
  } catch (error) {
    throw new OutputPathError(flag, path, (error as Error).message);
  }
}

/** Checks that a file can be created or appended at `path` (its folder exists and is writable). */
export async function checkWritableFile(flag: string, path: string): Promise<void> {
  const folder = dirname(resolve(path));
  try {
    await access(folder, constants.W_OK);
    await access(path, constants.W_OK).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  } catch (error) {
    throw new OutputPathError(flag, path, (error as Error).message);
  }
}
