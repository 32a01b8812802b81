// Device numbers the sentry hands out: every filesystem instance gets an
// anonymous device (major 0), as Linux does for tmpfs, proc, overlay...

/** glibc's makedev encoding (what st_dev/st_rdev hold). */
export function makedev(major: number, minor: number): number {
  return (
    (major & 0xfff) * 256 +
    (minor & 0xff) +
    (minor & 0xffffff00) * 4096 +
    (major & 0xfffff000) * 4294967296
  );
}

export function major(dev: number): number {
  return Math.floor(dev / 256) & 0xfff;
}

export function minor(dev: number): number {
  return (dev & 0xff) | (Math.floor(dev / 4096) & 0xffffff00);
}

let nextMinor = 0x20;

export function allocDev(): number {
  return makedev(0, nextMinor++);
}
