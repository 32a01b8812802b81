// Node built-ins that only some sandboxes use (sockets for --network host,
// terminal streams for --tty), loaded when first needed: each costs a
// millisecond or more of start-up (docs/performance.md, W6).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter for the built-in module `name`, which loads it on its first call. */
export function lazyBuiltin<T>(name: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(name) as T);
}
