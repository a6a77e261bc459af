// Tickless one-shot timers. Pending timers sit in a binary min-heap ordered
// by expiry; the scheduler fires the expired ones whenever it runs and passes
// the earliest expiry to hal.idle, so an idle machine takes no ticks at all.
// Timer callbacks run in no thread: they must not block (wake someone instead).
import { hal } from "../hal/current";
import { KERN_ALERT, printk } from "../log";
import { describe_error, is_watchdog_interrupt } from "../lib/error";
import { LatenessStats } from "./lateness";

export class Timer {
  /** Absolute expiry, µs on hal.now_us()'s clock. */
  expires = 0;
  /** Position in the heap; -1 when not pending. */
  heap_index = -1;

  constructor(readonly callback: () => void) {}
}

let heap: Timer[] = [];
let lateness = new LatenessStats();

/**
 * The earliest expiry, Infinity when no timer is pending (Linux's
 * timer_base.next_expiry): a field, so that the scheduler's every pass reads
 * it without a call.
 */
export const timer_base = { next_expiry: Infinity };

export function timers_reset(): void {
  heap = [];
  lateness = new LatenessStats();
  timer_base.next_expiry = Infinity;
}

export function timer_setup(callback: () => void): Timer {
  return new Timer(callback);
}

export function timer_pending(timer: Timer): boolean {
  return timer.heap_index >= 0;
}

/** Arm a timer that is not pending, for timer.expires. */
export function add_timer(timer: Timer): void {
  if (timer_pending(timer)) throw new Error("add_timer: timer already pending");
  timer.heap_index = heap.length;
  heap.push(timer);
  sift_up(timer.heap_index);
  timer_base.next_expiry = heap[0].expires;
}

/** (Re)arm for `expires`, pending or not. Returns whether it was pending. */
export function mod_timer(timer: Timer, expires: number): boolean {
  const was_pending = del_timer(timer);
  timer.expires = expires;
  add_timer(timer);
  return was_pending;
}

/** Disarm. Returns whether it was pending. */
export function del_timer(timer: Timer): boolean {
  const index = timer.heap_index;
  if (index < 0) return false;
  const last = heap.pop()!;
  timer.heap_index = -1;
  if (last !== timer) {
    heap[index] = last;
    last.heap_index = index;
    sift_down(index);
    sift_up(last.heap_index);
  }
  timer_base.next_expiry = heap.length ? heap[0].expires : Infinity;
  return true;
}

export function pending_timer_count(): number {
  return heap.length;
}

/** Fire every timer that expired by now_us; returns how many fired. */
export function run_expired_timers(now_us: number): number {
  let fired = 0;
  while (heap.length && heap[0].expires <= now_us) {
    const timer = heap[0];
    del_timer(timer);
    lateness.record(now_us - timer.expires);
    fired++;
    try {
      timer.callback();
    } catch (error) {
      if (is_watchdog_interrupt(error)) throw error; // uncatchable in the guest
      printk(KERN_ALERT, "Oops: timer callback threw: " + describe_error(error));
    }
  }
  return fired;
}

export function timer_lateness() {
  return lateness.summary();
}

export function timer_stats_text(): string {
  const s = lateness.summary();
  const us = (value: number) => `${Math.round(value)} us`;
  return (
    `pending timers: ${heap.length}\n` +
    `fired:          ${s.count}\n` +
    `lateness p50:   ${us(s.p50_us)}\n` +
    `lateness p99:   ${us(s.p99_us)}\n` +
    `lateness max:   ${us(s.max_us)}\n` +
    `next expiry in: ${heap.length ? us(Math.max(0, heap[0].expires - hal.now_us())) : "none"}\n`
  );
}

function sift_up(index: number): void {
  const timer = heap[index];
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (heap[parent].expires <= timer.expires) break;
    place(heap[parent], index);
    index = parent;
  }
  place(timer, index);
}

function sift_down(index: number): void {
  const timer = heap[index];
  for (;;) {
    const left = 2 * index + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && heap[right].expires < heap[left].expires ? right : left;
    if (heap[child].expires >= timer.expires) break;
    place(heap[child], index);
    index = child;
  }
  place(timer, index);
}

function place(timer: Timer, index: number): void {
  heap[index] = timer;
  timer.heap_index = index;
}
