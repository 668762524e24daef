/**
 * BENCHMARK ONLY (bench/profile.ts). Loaded with `NODE_OPTIONS=--import …/cpuProfileHook.mjs`
 * into the gateway and every subgraph process (`--cpu-prof` itself is refused in NODE_OPTIONS):
 * samples this process's CPU with V8's profiler from start to exit, and on exit writes
 * `CPU.<pid>.cpuprofile` into GOVGRAPH_CPU_PROFILE_DIR — the format `--cpu-prof` writes.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.GOVGRAPH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.GOVGRAPH_CPU_PROFILE_INTERVAL_US ?? 200) });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-thread session answers synchronously, so this completes inside the exit handler.
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
