// Waiting on the host's clock, for the benchmarks' drivers.

/** Resolve after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolve once `cond` holds, checking every 20 ms; false if `timeout_ms` passes first. */
export async function until(cond: () => boolean, timeout_ms: number): Promise<boolean> {
  const deadline = Date.now() + timeout_ms;
  while (!cond() && Date.now() < deadline) await sleep(20);
  return cond();
}
