// Mirror of tsv::EventType (native/addon/sandbox.h).

export const enum Ev {
  Listener = 1,
  Spawned = 2,
  SpawnFailed = 3,
  NewTask = 4,
  CloneFailed = 5,
  Exec = 6,
  Exit = 7,
  Stopped = 8,
  Continued = 9,
  Killed = 10,
  Done = 11,
  CloseRange = 12,
  AskClone = 100,
  AskExec = 101,
}

export const enum CloneKind {
  Clone = 0,
  Fork = 1,
  Vfork = 2,
}
