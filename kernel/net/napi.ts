// NAPI, as in Linux (net/core/dev.c) and DragonOS (driver/net/napi.rs).
//
// A device that has received packets does not process them in its interrupt
// handler. It masks its own interrupts and calls napi_schedule(), which puts
// its NapiStruct on the poll list and raises the NET_RX softirq. That runs
// net_rx_action() right after the interrupt, before any thread resumes (or,
// under load, in the napi_handler thread): it polls each scheduled instance
// for at most `weight` packets, within a per-round budget of packets and of
// time. An instance that used its whole weight may have more waiting and is
// polled again after the others; one that did less calls
// napi_complete_done(), and its driver unmasks the device's interrupts.
//
// A poll that throws (a bug the packet in hand ran into, or the JS heap out
// of memory) costs that packet and nothing more: the instance is polled
// again as if it had used its whole weight, so the frames behind it, the
// egress and the deadline the poll did not reach get their turn; the fault is
// counted (/proc/net/netstat) and reported, rate-limited. The one try is
// per poll, not per packet. A round that dies outright in a poll (the
// watchdog's interrupt cannot be caught) leaves the instance scheduled but on
// no list; the next round finds it and lists it again.
//
// The state bits and their transitions live in napi_state.ts; the thread
// that takes the rounds over under load lives in napi_handler.ts.
import { hal } from "../hal/current";
import { NET_RX_SOFTIRQ, raise_softirq } from "../irq/softirq";
import { describe_error, is_watchdog_interrupt } from "../lib/error";
import { RateLimitedLog } from "../lib/ratelimit";
import { KERN_ALERT } from "../log";
import { NapiState } from "./napi_state";
import { tracing, trace_stage, TRACE_NAPI } from "../lib/trace";

/** Packets one instance may process per poll. */
export const NAPI_POLL_WEIGHT = 64;
/** netdev_budget: packets per net_rx_action round. */
export const NETDEV_BUDGET = 300;
/** netdev_budget_usecs: time per net_rx_action round. */
export const NETDEV_BUDGET_US = 2000;

/**
 * The driver's poll: process at most `budget` packets, return how many.
 * `now_us` is the time as the round last read it: the stack needs the time,
 * and in the guest every clock read is a call into the runtime.
 */
export type NapiPoll = (napi: NapiStruct, budget: number, now_us: number) => number;

let next_napi_id = 1;

/** One device's NAPI instance: its state word, its poll function and its counters. */
export class NapiStruct extends NapiState {
  /** A number naming the instance (Linux's napi_id). */
  readonly napi_id = next_napi_id++;
  /** Intrusive link in the poll list: no allocation per schedule. */
  poll_next: NapiStruct | null = null;
  /** Polls run. */
  polls = 0;
  /** Packets those polls processed. */
  work_done = 0;
  /** Polls that used the whole weight. */
  budget_exhausted = 0;
  /** Polls that threw: each lost the frame it was processing (if any). */
  faults = 0;

  constructor(
    /** The device it polls, for `napi` and `ip -s link`. */
    public dev_name: string,
    /** The driver's poll function. */
    readonly poll: NapiPoll,
    /** Packets per poll. */
    readonly weight: number = NAPI_POLL_WEIGHT,
  ) {
    super();
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
  /** Polls that threw (see napi_poll_fault). */
  poll_faults: number;
}

/** An intrusive FIFO of NAPI instances, linked through poll_next: no allocation per schedule. */
class NapiList {
  head: NapiStruct | null = null;
  tail: NapiStruct | null = null;

  is_empty(): boolean {
    return this.head === null;
  }

  push(napi: NapiStruct): void {
    napi.poll_next = null;
    if (this.tail) this.tail.poll_next = napi;
    else this.head = napi;
    this.tail = napi;
  }

  /** Unlink `napi` wherever it is; false if it was not here. */
  remove(napi: NapiStruct): boolean {
    let prev: NapiStruct | null = null;
    for (let n = this.head; n !== null; prev = n, n = n.poll_next) {
      if (n !== napi) continue;
      if (prev) prev.poll_next = n.poll_next;
      else this.head = n.poll_next;
      if (this.tail === n) this.tail = prev;
      n.poll_next = null;
      return true;
    }
    return false;
  }

  /** Move all of `other` to our tail, leaving it empty. */
  splice_tail(other: NapiList): void {
    if (other.head === null) return;
    if (this.tail) this.tail.poll_next = other.head;
    else this.head = other.head;
    this.tail = other.tail;
    other.head = other.tail = null;
  }
}

/**
 * The poll list and its counters (Linux's per-CPU struct softnet_data;
 * napkin has one CPU, so there is one).
 */
export class SoftnetData {
  /** Instances scheduled and waiting for a round. */
  private readonly poll_list = new NapiList();
  /** The round in progress: what was listed when it began. */
  private readonly round = new NapiList();
  /** Instances that used their whole weight this round: they go after new work. */
  private readonly repoll = new NapiList();
  /** The counters of /proc/net/softnet_stat. */
  readonly stat: SoftnetStat = { processed: 0, dropped: 0, time_squeeze: 0, rounds: 0, poll_faults: 0 };
  /** Packets per round (netdev_budget). */
  budget = NETDEV_BUDGET;
  /** Time per round (netdev_budget_usecs). */
  budget_us = NETDEV_BUDGET_US;
  /** The instance being polled; still set at the next round if the poll never returned. */
  private polling: NapiStruct | null = null;
  /** Fault reports: the first ones with their stack, then at most a few every few seconds. */
  fault_log = new RateLimitedLog();

  /** Forget the lists and the counters (a fresh machine; tests use it). */
  reset(): void {
    this.poll_list.head = this.poll_list.tail = null;
    this.round.head = this.round.tail = null;
    this.repoll.head = this.repoll.tail = null;
    this.stat.processed = this.stat.dropped = this.stat.time_squeeze = this.stat.rounds = this.stat.poll_faults = 0;
    this.budget = NETDEV_BUDGET;
    this.budget_us = NETDEV_BUDGET_US;
    this.polling = null;
    this.fault_log = new RateLimitedLog();
  }

  /** Whether any instance waits to be polled. */
  has_work(): boolean {
    return !this.poll_list.is_empty();
  }

  /**
   * Append an instance that won napi_schedule_prep(), and raise NET_RX. (A
   * field: __napi_schedule is this very function.) A top half may call it,
   * preempting a round at any call or backward jump: so every change to the
   * poll list (here, in the round, in NapiList) is made with no call or
   * backward jump before it is whole.
   */
  readonly list_add_tail = (napi: NapiStruct): void => {
    // NapiList.push written out: every packet that finds NAPI idle comes here.
    const list = this.poll_list;
    napi.poll_next = null;
    if (list.tail !== null) list.tail.poll_next = napi;
    else list.head = napi;
    list.tail = napi;
    raise_softirq(NET_RX_SOFTIRQ);
  };

  /** Take `napi` off whichever list holds it (napi_disable); false if none did. */
  list_del(napi: NapiStruct): boolean {
    return this.poll_list.remove(napi) || this.round.remove(napi) || this.repoll.remove(napi);
  }

  /**
   * One round, as Linux's net_rx_action: each instance listed when the
   * round began is polled once, for at most its weight, while the round's
   * budget of packets and time lasts (running out counts time_squeeze).
   * Afterwards the list is what the round did not reach, then what was
   * scheduled during it, then the instances that used their whole weight
   * and may have more: new work never waits behind a busy device.
   * (A field, so that the softirq calls it with no wrapper between.)
   */
  readonly net_rx_action = (now_us: number = hal.now_us()): void => {
    if (tracing) trace_stage(TRACE_NAPI);
    if (this.polling !== null) this.relist_interrupted();
    const time_limit = now_us + this.budget_us;
    let budget = this.budget;
    this.stat.rounds++;
    // The round takes the whole poll list, and each instance off its head:
    // the list operations written out, as Linux's are inline, since every
    // packet's round runs them. (The round's own list is empty here, unless
    // the last round died in a poll and left the instances after it there.)
    const round = this.round;
    const listed = this.poll_list;
    if (round.head === null) {
      round.head = listed.head;
      round.tail = listed.tail;
      listed.head = listed.tail = null;
    } else {
      round.splice_tail(listed);
    }
    while (round.head !== null) {
      const napi = round.head;
      round.head = napi.poll_next;
      if (round.head === null) round.tail = null;
      napi.poll_next = null;
      this.polling = napi;
      // The driver's poll (Linux's napi_poll), and what it did, counted.
      let work: number;
      try {
        work = napi.poll(napi, napi.weight, now_us);
      } catch (error) {
        work = napi_poll_fault(this, napi, error);
      }
      napi.polls++;
      napi.work_done += work;
      if (work >= napi.weight) napi.budget_exhausted++;
      this.polling = null;
      this.stat.processed += work;
      budget -= work;
      if (work >= napi.weight) this.repoll.push(napi);
      // (Most rounds poll one instance: then there is no time left to check,
      // and the clock is read only for the next instance.)
      if (budget <= 0 || (round.head !== null && (now_us = hal.now_us()) > time_limit)) {
        if (round.head !== null || this.repoll.head !== null || this.has_work()) this.stat.time_squeeze++;
        break;
      }
    }
    if (round.head === null && this.repoll.head === null) {
      if (this.poll_list.head !== null) raise_softirq(NET_RX_SOFTIRQ); // scheduled during the round
      return;
    }
    round.splice_tail(this.poll_list);
    round.splice_tail(this.repoll);
    this.poll_list.splice_tail(round);
    raise_softirq(NET_RX_SOFTIRQ);
  };

  /**
   * The last round died inside a poll, its thread killed: that instance is
   * still scheduled (its interrupts masked) but on no list, and nothing
   * else would ever poll it. List it again; the frame it was on is lost.
   */
  private relist_interrupted(): void {
    const napi = this.polling!;
    this.polling = null;
    napi.faults++;
    this.stat.poll_faults++;
    this.poll_list.push(napi);
    this.fault_log.log(KERN_ALERT, () => `Oops: the NAPI poll of ${napi.dev_name} never returned; polled again (${napi.faults} faults)`);
  }
}

/** The one softnet_data. */
export const softnet_data = new SoftnetData();

/** One round of the poll list (see SoftnetData.net_rx_action). */
export function net_rx_action(sd: SoftnetData = softnet_data): void {
  sd.net_rx_action(hal.now_us());
}

/**
 * A poll threw. The driver's receive() had handed the stack the frame it
 * was on, so that frame is gone (dropped); the instance is still scheduled
 * and its interrupts still masked, which is right for an instance with work
 * left: say it used its whole weight, and it is polled again after the others.
 */
function napi_poll_fault(sd: SoftnetData, napi: NapiStruct, error: unknown): number {
  if (is_watchdog_interrupt(error)) throw error; // the watchdog's: the thread must end
  napi.faults++;
  sd.stat.poll_faults++;
  sd.fault_log.log(
    KERN_ALERT,
    () =>
      `Oops: NAPI poll of ${napi.dev_name} threw; the frame it held is dropped and the device polled again (${napi.faults} faults)\n${describe_error(error)}`,
  );
  return napi.weight;
}

/** Claim the right to schedule (see NapiState.schedule_prep). */
export function napi_schedule_prep(napi: NapiStruct): boolean {
  return napi.schedule_prep();
}

/** Put an instance whose schedule_prep() won on the poll list (the one softnet_data's list_add_tail). */
export const __napi_schedule: (napi: NapiStruct) => void = softnet_data.list_add_tail;

/** Schedule a poll; true if this call put it on the list. */
export function napi_schedule(napi: NapiStruct): boolean {
  if (!napi.schedule_prep()) return false;
  __napi_schedule(napi);
  return true;
}

/**
 * The driver's poll finished with work to spare. Returns true if the
 * instance is now idle and the driver should unmask its interrupts; false if
 * a schedule was missed meanwhile, in which case it is back on the list.
 */
export function napi_complete_done(napi: NapiStruct, _work_done: number): boolean {
  if (napi.complete()) return true;
  // The poller is the one calling: the instance is off the list, so putting
  // it back cannot list it twice.
  __napi_schedule(napi);
  return false;
}

/**
 * Stop scheduling; the instance is idle and off the poll list once this
 * returns. A poll cannot be in flight here: net_rx_action never yields in
 * the middle of a poll, and nothing preempts a thread.
 */
export function napi_disable(napi: NapiStruct): void {
  if (napi.disable()) softnet_data.list_del(napi);
}

/** Let the instance be scheduled again. */
export function napi_enable(napi: NapiStruct): void {
  napi.enable();
}
