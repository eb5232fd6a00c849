/**
 * Keeps the event loop alive while start-up awaits work libuv cannot see. PGlite compiles its
 * WebAssembly on V8's threads and answers through promises only, so while the database opens
 * nothing of libuv's is pending and `uv_run` returns. Node then drains V8's background queue
 * before it carries on (`NodePlatform::DrainTasks`: it blocks until every queued job is done,
 * then runs the finished ones' callbacks — our whole open and migration check ran inside that
 * step — and blocks again). The second wait is for the optimising compiles of PGlite's hot
 * functions queued meanwhile: 180–240 ms of a ~1.5 s start spent on a futex before the next
 * statement (decision 0012, "The event loop ran dry"). A ref'd timer keeps `uv_run` running, so
 * those compiles finish in the background while start-up goes on.
 */
let held = 0;

export interface EventLoopHold {
  /** Idempotent. */
  release(): void;
}

export function holdEventLoop(): EventLoopHold {
  const timer = setInterval(() => {}, 2 ** 30);
  held++;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held--;
      clearInterval(timer);
    },
  };
}

/** How many holds are open (tests: a start that forgot one would never let the process exit). */
export function openHolds(): number {
  return held;
}
