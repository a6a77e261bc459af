// printk and the kernel log ring (dmesg). Every record carries its level and
// a timestamp; records more urgent than console_loglevel also go to the
// console at once, as on Linux.
import { hal } from "./hal/current";

export const KERN_EMERG = 0;
export const KERN_ALERT = 1;
export const KERN_CRIT = 2;
export const KERN_ERR = 3;
export const KERN_WARNING = 4;
export const KERN_NOTICE = 5;
export const KERN_INFO = 6;
export const KERN_DEBUG = 7;

export interface LogRecord {
  time_us: number;
  level: number;
  text: string;
}

const LOG_RING_RECORDS = 1024;

let ring: LogRecord[] = [];
let ring_head = 0; // index of the oldest record once the ring is full
let console_loglevel = KERN_DEBUG; // print everything but debug

export function log_reset(): void {
  ring = [];
  ring_head = 0;
  console_loglevel = KERN_DEBUG;
}

/** Linux's "[    1.234567]" stamp. */
export function format_timestamp(time_us: number): string {
  const us = Math.max(0, Math.floor(time_us));
  const seconds = String(Math.floor(us / 1e6));
  const fraction = String(us % 1e6);
  return "[" + seconds.padStart(5, " ") + "." + fraction.padStart(6, "0") + "]";
}

function record_line(record: LogRecord): string {
  return format_timestamp(record.time_us) + " " + record.text;
}

function format_record(record: LogRecord): string {
  return record_line(record) + "\n";
}

/** Log one message; a multi-line text becomes one record per line. */
export function printk(level: number, text: string): void {
  const time_us = hal.now_us();
  for (const line of text.split("\n")) {
    const record = { time_us, level, text: line };
    if (ring.length < LOG_RING_RECORDS) {
      ring.push(record);
    } else {
      ring[ring_head] = record;
      ring_head = (ring_head + 1) % LOG_RING_RECORDS;
    }
    if (level < console_loglevel) hal.console_write(record_line(record) + "\r\n"); // a terminal's line end
  }
}

export const pr_err = (text: string): void => printk(KERN_ERR, text);
export const pr_warn = (text: string): void => printk(KERN_WARNING, text);
export const pr_info = (text: string): void => printk(KERN_INFO, text);

/** The records, oldest first. */
export function log_records(): LogRecord[] {
  return ring.slice(ring_head).concat(ring.slice(0, ring_head));
}

export function dmesg_text(): string {
  let text = "";
  for (const record of log_records()) text += format_record(record);
  return text;
}
