// Image layers (`--layer DIR`, `SandboxOptions.layers`): several read-only
// host directories merged into one read-only tree, the overlay's lower
// layer. Whiteouts and opaque directories in the layers are honoured as OCI
// image layers define them (merge.ts); a merged directory is the list of the
// layers' directories it is made of, and every other object is the top
// layer's own host inode.
import { E } from '../../abi/errno.js';
import { S_IFDIR, S_IFMT } from '../../abi/flags.js';
import { type DirEntry, type FileSystem, Inode, type Opened, type Stat } from '../../vfs/inode.js';
import { allocDev } from '../devices.js';
import { type HiddenName, HostFs, type HostInode, InoMap } from '../host/hostfs.js';
import { mergeEntries, type RawEntry, WH_OPAQUE, WH_PREFIX } from './merge.js';

export class LayeredFs implements FileSystem {
  readonly name = 'layers';
  readonly dev = allocDev();
  readonly readOnly = true;
  /** Top layer first. */
  readonly layers: HostFs[];
  readonly root: LayerDir;

  /** `paths`: host directories, bottom layer first (the order of an image manifest). */
  constructor(paths: string[], opts: { hide?: HiddenName[]; inoMap?: InoMap } = {}) {
    const inoMap = opts.inoMap ?? new InoMap();
    this.layers = paths.map((p) => new HostFs(p, { readOnly: true, hide: opts.hide, inoMap })).reverse();
    this.root = new LayerDir(this, cutAtOpaque(this.layers.map((l) => l.root)));
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}

function has(d: HostInode, name: string): boolean {
  const r = d.lookup(name);
  return r !== null && typeof r !== 'number';
}

/** A merged directory goes down to the first layer where it is opaque. */
function cutAtOpaque(dirs: HostInode[]): HostInode[] {
  for (let i = 0; i < dirs.length - 1; i++) if (has(dirs[i]!, WH_OPAQUE)) return dirs.slice(0, i + 1);
  return dirs;
}

export class LayerDir extends Inode {
  private readonly kids = new Map<string, LayerDir>();

  constructor(
    readonly lfs: LayeredFs,
    /** This directory in each layer that has it, top first, down to the first opaque one. */
    readonly dirs: HostInode[],
  ) {
    super(lfs);
  }

  stat(): Stat | number {
    return this.dirs[0]!.stat();
  }

  override get mode(): number {
    return this.dirs[0]!.mode;
  }

  override lookup(name: string): Inode | null | number {
    if (name.startsWith(WH_PREFIX)) return null;
    const hit = this.kids.get(name);
    if (hit) return hit;
    const raw: RawEntry<HostInode>[][] = [];
    for (const d of this.dirs) {
      const entries: RawEntry<HostInode>[] = [];
      const c = d.lookup(name);
      if (typeof c === 'number') return c;
      if (c) entries.push({ name, isDir: c.isDir(), obj: c as HostInode });
      const wh = d.lookup(WH_PREFIX + name);
      if (wh && typeof wh !== 'number') entries.push({ name: WH_PREFIX + name, isDir: false, obj: wh as HostInode });
      raw.push(entries);
      // Nothing below can matter once a non-directory or a whiteout decided the name.
      if ((c && !c.isDir()) || (wh && typeof wh !== 'number')) break;
    }
    const m = mergeEntries(raw)[0];
    if (!m) return null;
    if (!m.isDir) return m.objs[0]!;
    const d = new LayerDir(this.lfs, cutAtOpaque(m.objs));
    this.kids.set(name, d);
    return d;
  }

  override readdir(): DirEntry[] | number {
    const raw: RawEntry<DirEntry>[][] = [];
    for (const d of this.dirs) {
      const ls = d.readdir();
      if (typeof ls === 'number') return ls;
      raw.push(
        ls.map((e) => {
          let type = e.type;
          if (type === 0) {
            // DT_UNKNOWN (some filesystems): ask the inode.
            const c = d.lookup(e.name);
            if (c && typeof c !== 'number') type = c.mode & S_IFMT;
          }
          return { name: e.name, isDir: type === S_IFDIR, obj: { ...e, type } };
        }),
      );
    }
    return mergeEntries(raw).map((m) => m.objs[0]!);
  }

  override open(_flags: number): Opened | number {
    return -E.EISDIR;
  }
}
