// File metadata as Linux reports it (the fields of struct stat/statx), shared
// by the VFS that produces it and the arch encoders that write it out.

export interface Timespec {
  sec: number;
  nsec: number;
}

export interface Stat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  btime: Timespec;
}
