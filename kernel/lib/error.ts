/** An exception as text for a fault report: the JS stack when there is one. */
export function describe_error(error: unknown): string {
  if (error === null) return "null (out of memory: QuickJS had no memory left even for the error)";
  if (error instanceof Error)
    return error.stack && error.stack.includes(error.message)
      ? error.stack
      : `${error.name}: ${error.message}\n${error.stack || ""}`.trimEnd();
  return String(error);
}

/** The guest runtime's watchdog throws InternalError("interrupted") into a thread that ran too long. */
export function is_watchdog_interrupt(error: unknown): boolean {
  return error instanceof Error && error.message === "interrupted";
}

/**
 * QuickJS refused an allocation: the JS heap is at its limit (boot/runtime.c
 * sets it). Its InternalError says so; if even that could not be made, what
 * is thrown is null (the kernel itself never throws null).
 */
export function is_out_of_memory(error: unknown): boolean {
  return error === null || (error instanceof Error && error.name === "InternalError" && error.message === "out of memory");
}

/** An error that only says a signal (Ctrl-C) interrupted the call, as EINTR does: nothing to report. */
export function is_eintr(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === "EINTR";
}
