// The NAPI state word and its transitions, as in Linux (enum napi_state in
// include/linux/netdevice.h) and DragonOS's NAPI. Nothing here knows about
// poll lists, threads or devices, so each transition can be tested alone.
//
//   SCHED    on the poll list or being polled. Whoever sets it owns the next
//            poll; nobody else may list the instance.
//   MISSED   napi_schedule() came while SCHED was set (more work arrived
//            during the poll): the poller must look again before going idle.
//   DISABLE  napi_disable() holds the instance: no schedule may win.

/** On the poll list or being polled. */
export const NAPI_STATE_SCHED = 1 << 0;
/** A schedule arrived while SCHED was set. */
export const NAPI_STATE_MISSED = 1 << 1;
/** Disabled: schedules are refused. */
export const NAPI_STATE_DISABLE = 1 << 2;

/** The state word of one NAPI instance and the only code that changes it. */
export class NapiState {
  /** NAPI_STATE_* bits. */
  state = 0;

  /**
   * napi_schedule_prep(): claim the right to put the instance on the poll
   * list. False if it is disabled, or already scheduled (then MISSED is set,
   * so the current poller looks once more before it completes).
   */
  schedule_prep(): boolean {
    if (this.state & NAPI_STATE_DISABLE) return false;
    if (this.state & NAPI_STATE_SCHED) {
      this.state |= NAPI_STATE_MISSED;
      return false;
    }
    this.state |= NAPI_STATE_SCHED;
    return true;
  }

  /**
   * napi_complete_done(): the poller finished with work to spare. True if
   * the instance is now idle (the driver may unmask its interrupts); false
   * if a schedule was missed meanwhile: it stays SCHED and the caller must
   * put it back on the list.
   */
  complete(): boolean {
    if (this.state & NAPI_STATE_MISSED) {
      this.state &= ~NAPI_STATE_MISSED;
      return false;
    }
    this.state &= ~NAPI_STATE_SCHED;
    return true;
  }

  /**
   * napi_disable(): from now on no schedule wins, and the disabler holds
   * SCHED. Returns whether the instance was scheduled, in which case the
   * caller must take it off the poll list.
   */
  disable(): boolean {
    const was_scheduled = (this.state & NAPI_STATE_SCHED) !== 0;
    this.state = (this.state | NAPI_STATE_DISABLE | NAPI_STATE_SCHED) & ~NAPI_STATE_MISSED;
    return was_scheduled;
  }

  /** napi_enable(): idle and schedulable again. */
  enable(): void {
    this.state &= ~(NAPI_STATE_SCHED | NAPI_STATE_MISSED | NAPI_STATE_DISABLE);
  }

  /** The bits by name, for `napi`: "SCHED|MISSED", or "IDLE". */
  state_text(): string {
    const bits = [];
    if (this.state & NAPI_STATE_SCHED) bits.push("SCHED");
    if (this.state & NAPI_STATE_MISSED) bits.push("MISSED");
    if (this.state & NAPI_STATE_DISABLE) bits.push("DISABLE");
    return bits.length ? bits.join("|") : "IDLE";
  }
}
