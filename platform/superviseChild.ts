/**
 * A child process the all-in-one launcher keeps running (issue 15): a subgraph that crashes
 * or is killed is started again on the same address (the registry keeps pointing at it), after
 * a pause that doubles with each failure in a row, and every exit and restart is a log line
 * naming the subgraph, its exit code or signal, and the next attempt.
 */
import type { ChildProcess } from 'node:child_process';

/** The first pause before a restart; doubles on each failure in a row. @default 250 ms */
export const RESTART_INITIAL_MS = 250;
/** The longest pause between two restarts. @default 30 s */
export const RESTART_MAX_MS = 30_000;
/** A child that ran this long is healthy again: the next crash starts from the first pause. @default 60 s */
export const RESTART_RESET_MS = 60_000;

export interface SupervisedChildOptions {
  /** Who, in log lines ("subgraph population"). */
  readonly name: string;
  /** Starts the child; `port` 0 on the first start unless configured, then the port it first listened on. */
  readonly spawn: (port: number) => ChildProcess;
  readonly port: number;
  readonly log: (message: string) => void;
  /** A child that has not said it listens by then is killed (and, on the first start, reported). */
  readonly startTimeoutMs: number;
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly resetAfterMs?: number;
}

export interface SupervisedChild {
  /** Where it listens (the same across restarts). */
  readonly url: string;
  /** Restarts so far. */
  readonly restarts: number;
  /** The running child's pid (null between a crash and its restart). */
  readonly pid: number | null;
  /** A message to the running child, and to every later one as it starts. */
  tell(message: object): void;
  close(): Promise<void>;
}

interface ReadyMessage {
  readonly type?: string;
  readonly url?: string;
}

/** Waits for the child's `ready` message; rejects if it exits or is too slow. */
function ready(child: ChildProcess, name: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${signal ? `signal ${signal}` : `code ${code}`} before it was ready`));
    };
    child.once('exit', onExit);
    child.on('message', (message: ReadyMessage) => {
      if (message?.type !== 'ready' || !message.url) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(message.url);
    });
  });
}

/** Starts the child once (rejecting if it cannot), then keeps it running until `close`. */
export async function superviseChild(options: SupervisedChildOptions): Promise<SupervisedChild> {
  const { name, log, startTimeoutMs, initialMs = RESTART_INITIAL_MS, maxMs = RESTART_MAX_MS, resetAfterMs = RESTART_RESET_MS } = options;
  let child = options.spawn(options.port);
  const url = await ready(child, name, startTimeoutMs);
  const port = Number(new URL(url).port);
  let closing = false;
  let restarts = 0;
  let failuresInRow = 0;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | null = null;
  let current: ChildProcess | null = child;
  const told: object[] = [];

  const watch = (running: ChildProcess) => {
    running.once('exit', (code, signal) => {
      if (closing) return;
      current = null;
      if (Date.now() - startedAt >= resetAfterMs) failuresInRow = 0;
      const delay = Math.min(maxMs, initialMs * 2 ** failuresInRow);
      failuresInRow++;
      log(`${name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting in ${delay} ms (attempt ${failuresInRow}) on ${url}`);
      timer = setTimeout(restart, delay);
      timer.unref();
    });
  };
  const restart = () => {
    timer = null;
    if (closing) return;
    const next = options.spawn(port);
    current = next;
    startedAt = Date.now();
    watch(next);
    ready(next, name, startTimeoutMs).then(() => {
      restarts++;
      for (const message of told) if (next.connected) next.send(message, () => {});
      log(`${name} restarted (pid ${next.pid}) on ${url}`);
    }, (error: Error) => log(`${name} restart failed: ${error.message}`));
  };
  watch(child);
  return {
    url,
    get restarts() {
      return restarts;
    },
    get pid() {
      return current?.pid ?? null;
    },
    tell(message) {
      told.push(message);
      if (current?.connected) current.send(message, () => {});
    },
    close: () => new Promise<void>((done) => {
      closing = true;
      if (timer) clearTimeout(timer);
      child = current!;
      if (!current || current.exitCode !== null || current.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill('SIGTERM');
    }),
  };
}
