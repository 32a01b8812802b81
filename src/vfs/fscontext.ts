// Per-task filesystem context: root, working directory and umask (shared
// between tasks created with CLONE_FS).
import type { VPath } from './mount.js';

export class FsContext {
  users = 1;

  constructor(
    public root: VPath,
    public cwd: VPath,
    public umask = 0o022,
  ) {}

  copy(): FsContext {
    return new FsContext(this.root, this.cwd, this.umask);
  }
}
