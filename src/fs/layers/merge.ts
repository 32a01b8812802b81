// How image layers merge (the OCI image spec's "applying changesets"), as
// pure logic over one directory's entries in each layer, top layer first:
//
// - `.wh.NAME` in a layer hides NAME in every layer below it (not in its own
//   layer: an entry next to its own whiteout stays);
// - `.wh..wh..opq` in a layer's directory hides every entry of that
//   directory in the layers below;
// - a non-directory hides everything below it of the same name; a directory
//   merges with the directories of the same name below it, down to the first
//   layer where that name is a non-directory or is whited out;
// - `.wh.` names themselves are never shown.
export const WH_PREFIX = '.wh.';
export const WH_OPAQUE = '.wh..wh..opq';

export interface RawEntry<T> {
  name: string;
  isDir: boolean;
  obj: T;
}

export interface MergedEntry<T> {
  name: string;
  isDir: boolean;
  /** The layers' objects it is made of, top first: one for a non-directory, every merged directory for a directory. */
  objs: T[];
}

/** Whether a layer's listing of a directory marks it opaque. */
export function isOpaque<T>(entries: RawEntry<T>[]): boolean {
  return entries.some((e) => e.name === WH_OPAQUE);
}

/**
 * Merges one directory as each layer has it (top first; a layer without the
 * directory gives an empty list). Entries come out in the order first seen.
 */
export function mergeEntries<T>(layers: RawEntry<T>[][]): MergedEntry<T>[] {
  const out = new Map<string, MergedEntry<T> & { closed: boolean }>();
  const hidden = new Set<string>();
  for (const entries of layers) {
    const whiteouts: string[] = [];
    let opaque = false;
    for (const e of entries) {
      if (e.name === WH_OPAQUE) {
        opaque = true;
        continue;
      }
      if (e.name.startsWith(WH_PREFIX)) {
        whiteouts.push(e.name.slice(WH_PREFIX.length));
        continue;
      }
      if (hidden.has(e.name)) continue;
      const seen = out.get(e.name);
      if (!seen) {
        out.set(e.name, { name: e.name, isDir: e.isDir, objs: [e.obj], closed: !e.isDir });
        continue;
      }
      if (seen.closed) continue;
      // A directory over a non-directory: what lies below that is gone.
      if (!e.isDir) seen.closed = true;
      else seen.objs.push(e.obj);
    }
    // This layer's whiteouts act on the layers below it only.
    for (const w of whiteouts) {
      hidden.add(w);
      const seen = out.get(w);
      if (seen) seen.closed = true;
    }
    if (opaque) break;
  }
  return [...out.values()].map(({ name, isDir, objs }) => ({ name, isDir, objs }));
}
