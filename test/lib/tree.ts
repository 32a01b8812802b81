// A digest of a whole host tree, for tests that prove a sandbox left it alone.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Names, types, modes, owners, sizes, links, inode numbers, m/ctimes, contents and symlink targets of a whole tree (not atimes). */
export function treeHash(root: string): string {
  const h = createHash('sha256');
  const walkDir = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const p = join(root, rel, name);
      const s = lstatSync(p, { bigint: true });
      h.update(`${rel}/${name} ${s.mode} ${s.uid} ${s.gid} ${s.size} ${s.nlink} ${s.ino} ${s.mtimeNs} ${s.ctimeNs}\n`);
      if (s.isSymbolicLink()) h.update(readlinkSync(p));
      else if (s.isFile()) h.update(readFileSync(p));
      else if (s.isDirectory()) walkDir(join(rel, name));
    }
  };
  walkDir('');
  const r = lstatSync(root, { bigint: true });
  h.update(`root ${r.mode} ${r.uid} ${r.gid} ${r.nlink} ${r.mtimeNs} ${r.ctimeNs}`);
  return h.digest('hex');
}
