// NAPI, as in Linux and DragonOS (kernel/src/driver/net/napi.rs).
//
// A device that has received packets does not process them in its interrupt
// handler. It masks its own interrupts and calls napi_schedule(), which puts
// its NapiStruct on the poll list and wakes the napi_handler thread. That
// thread runs net_rx_action(): it polls each scheduled instance for at most
// `weight` packets, within a per-round budget of packets and of time. An
// instance that used its whole weight may have more waiting and goes to the
// tail of the list (round robin); one that did less calls
// napi_complete_done(), and its driver unmasks the device's interrupts.
//
// The state word follows Linux: SCHED means "on the poll list or being
// polled", MISSED records a napi_schedule() that arrived while SCHED was set,
// so that completing can never lose it.
import { hal } from "../hal/current";
import { cond_resched, kthread_run } from "../sched/sched";
import { wait_event, wake_up, WaitQueue } from "../sched/waitqueue";

export const NAPI_STATE_SCHED = 1 << 0;
export const NAPI_STATE_MISSED = 1 << 1;
export const NAPI_STATE_DISABLE = 1 << 2;

export const NAPI_POLL_WEIGHT = 64;
/** netdev_budget: packets per net_rx_action round. */
export const NETDEV_BUDGET = 300;
/** netdev_budget_usecs: time per net_rx_action round. */
export const NETDEV_BUDGET_US = 2000;

/** The driver's poll: process at most `budget` packets, return how many. */
export type NapiPoll = (napi: NapiStruct, budget: number) => number;

let next_napi_id = 1;

export class NapiStruct {
  state = 0;
  readonly napi_id = next_napi_id++;
  /** Intrusive link in the poll list: no allocation per schedule. */
  poll_next: NapiStruct | null = null;
  // Counters for `napi` and `ip -s link`.
  polls = 0;
  work_done = 0;
  /** Polls that used the whole weight. */
  budget_exhausted = 0;

  constructor(
    readonly dev_name: string,
    readonly poll: NapiPoll,
    readonly weight: number = NAPI_POLL_WEIGHT,
  ) {}

  state_text(): string {
    const bits = [];
    if (this.state & NAPI_STATE_SCHED) bits.push("SCHED");
    if (this.state & NAPI_STATE_MISSED) bits.push("MISSED");
    if (this.state & NAPI_STATE_DISABLE) bits.push("DISABLE");
    return bits.length ? bits.join("|") : "IDLE";
  }
}

/** Linux's /proc/net/softnet_stat columns that napkin has. */
export interface SoftnetStat {
  /** Packets handed to the stack. */
  processed: number;
  /** Packets dropped because a backlog (loopback, veth) was full. */
  dropped: number;
  /** Rounds that ended with work left because the budget or time ran out. */
  time_squeeze: number;
  /** net_rx_action rounds run. */
  rounds: number;
}

/** The poll list and the napi_handler thread (DragonOS's GLOBAL_NAPI_MANAGER). */
export class NapiManager {
  private head: NapiStruct | null = null;
  private tail: NapiStruct | null = null;
  private readonly wq = new WaitQueue();
  readonly instances: NapiStruct[] = [];
  readonly softnet_stat: SoftnetStat = { processed: 0, dropped: 0, time_squeeze: 0, rounds: 0 };
  budget = NETDEV_BUDGET;
  budget_us = NETDEV_BUDGET_US;

  register(napi: NapiStruct): void {
    this.instances.push(napi);
  }

  unregister(napi: NapiStruct): void {
    napi_disable(napi);
    const i = this.instances.indexOf(napi);
    if (i >= 0) this.instances.splice(i, 1);
  }

  has_work(): boolean {
    return this.head !== null;
  }

  /** Put an instance that won napi_schedule_prep() on the list and wake the handler. */
  list_add_tail(napi: NapiStruct): void {
    napi.poll_next = null;
    if (this.tail) this.tail.poll_next = napi;
    else this.head = napi;
    this.tail = napi;
    wake_up(this.wq);
  }

  private list_pop(): NapiStruct | null {
    const napi = this.head;
    if (napi) {
      this.head = napi.poll_next;
      if (!this.head) this.tail = null;
      napi.poll_next = null;
    }
    return napi;
  }

  /** One round: poll the list within the packet and time budget. */
  net_rx_action(): void {
    const stat = this.softnet_stat;
    const time_limit = hal.now_us() + this.budget_us;
    let budget = this.budget;
    stat.rounds++;
    for (;;) {
      const napi = this.list_pop();
      if (!napi) return;
      if (napi.state & NAPI_STATE_DISABLE) continue; // napi_disable() owns it now
      const work = napi_poll(napi);
      stat.processed += work;
      budget -= work;
      if (work >= napi.weight) {
        // It may have more: to the tail, round robin.
        this.list_add_tail(napi);
      }
      if (this.head && (budget <= 0 || hal.now_us() > time_limit)) {
        stat.time_squeeze++;
        return;
      }
    }
  }

  /** The napi_handler thread: sleep while the list is empty, yield between rounds. */
  async napi_handler(): Promise<void> {
    for (;;) {
      await wait_event(this.wq, () => this.head !== null);
      this.net_rx_action();
      await cond_resched();
    }
  }
}

function napi_poll(napi: NapiStruct): number {
  const work = napi.poll(napi, napi.weight);
  napi.polls++;
  napi.work_done += work;
  if (work >= napi.weight) napi.budget_exhausted++;
  return work;
}

export let napi_manager = new NapiManager();

/** A fresh poll list and counters (a new machine; tests use it). */
export function napi_reset(): void {
  napi_manager = new NapiManager();
}

/** Start the napi_handler thread. */
export function napi_init(): void {
  kthread_run("napi_handler", () => napi_manager.napi_handler());
}

/**
 * Claim the right to schedule: false if disabled or already scheduled (then
 * MISSED is set, so the current poller will look again before completing).
 */
export function napi_schedule_prep(napi: NapiStruct): boolean {
  if (napi.state & NAPI_STATE_DISABLE) return false;
  if (napi.state & NAPI_STATE_SCHED) {
    napi.state |= NAPI_STATE_MISSED;
    return false;
  }
  napi.state |= NAPI_STATE_SCHED;
  return true;
}

export function __napi_schedule(napi: NapiStruct): void {
  napi_manager.list_add_tail(napi);
}

/** Schedule a poll; true if this call put it on the list. */
export function napi_schedule(napi: NapiStruct): boolean {
  if (!napi_schedule_prep(napi)) return false;
  __napi_schedule(napi);
  return true;
}

/**
 * The driver's poll finished with work to spare. Returns true if the
 * instance is now idle and the driver should unmask its interrupts; false if
 * a schedule was missed meanwhile, in which case it is back on the list.
 */
export function napi_complete_done(napi: NapiStruct, _work_done: number): boolean {
  if (napi.state & NAPI_STATE_MISSED) {
    // The poller is the one calling: the instance is off the list, so
    // putting it back cannot list it twice.
    napi.state &= ~NAPI_STATE_MISSED;
    __napi_schedule(napi);
    return false;
  }
  napi.state &= ~NAPI_STATE_SCHED;
  return true;
}

/** Stop scheduling; the instance is idle once this returns (it owns SCHED). */
export function napi_disable(napi: NapiStruct): void {
  napi.state |= NAPI_STATE_DISABLE;
  // Cooperative threads: nothing polls concurrently, so SCHED can be taken now.
  napi.state |= NAPI_STATE_SCHED;
}

export function napi_enable(napi: NapiStruct): void {
  napi.state &= ~(NAPI_STATE_SCHED | NAPI_STATE_MISSED | NAPI_STATE_DISABLE);
}
