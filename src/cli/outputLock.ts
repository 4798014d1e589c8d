// One writer per sweep output (issue 16): `<out>.lock`, created exclusively, holds the writer's pid.
// A second `synergy sweep` on the same --out is refused while that process lives; a lock left by a
// process that died (kill -9, power loss) is taken over.
import { readFileSync, unlinkSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';

export class OutputLockedError extends Error {
  constructor(path: string, pid: number) {
    super(`${path} is being written by another synergy process (pid ${pid}); wait for it, or stop it and rerun with --resume`);
    this.name = 'OutputLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface OutputLock {
  release(): Promise<void>;
}

export async function lockOutput(out: string): Promise<OutputLock> {
  const path = `${out}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.write(`${process.pid}\n`);
      await handle.close();
      // Removed on any exit, even one that skips release() (an uncaught error, process.exit).
      const onExit = () => {
        try {
          unlinkSync(path);
        } catch { /* already released */ }
      };
      process.once('exit', onExit);
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          process.off('exit', onExit);
          await unlink(path).catch(() => {});
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let pid = NaN;
    try {
      pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    } catch { /* vanished or unreadable: retry */ }
    // A lock just created may not hold its pid yet: an unreadable pid is not proof of a dead writer.
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new OutputLockedError(out, pid);
    if (Number.isInteger(pid) && pid > 0) await unlink(path).catch(() => {});
    else await new Promise((r) => setTimeout(r, 50));
  }
  throw new OutputLockedError(out, NaN);
}
