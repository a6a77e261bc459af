// The core /proc files.
import { hal } from "../hal/current";
import { show_interrupts } from "../irq/proc_interrupts";
import { idle_stats } from "../sched/sched";
import { timer_stats_text } from "../time/timer";
import { proc_create } from "./procfs";

export function proc_core_init(): void {
  proc_create("interrupts", show_interrupts);
  proc_create("uptime", show_uptime);
  proc_create("meminfo", show_meminfo);
  proc_create("timer_stats", timer_stats_text);
}

/** Seconds up and seconds idle, as Linux prints them. */
function show_uptime(): string {
  return `${(hal.now_us() / 1e6).toFixed(2)} ${(idle_stats().idle_us / 1e6).toFixed(2)}\n`;
}

function show_meminfo(): string {
  const m = hal.mem_info();
  const line = (name: string, bytes: number) => `${(name + ":").padEnd(16)}${String(Math.floor(bytes / 1024)).padStart(10)} kB\n`;
  return (
    line("MemTotal", m.phys_total) +
    line("HeapTotal", m.heap_total) +
    line("HeapUsed", m.heap_used) +
    line("DmaTotal", m.dma_total) +
    line("DmaUsed", m.dma_used) +
    line("JsHeap", m.js_malloc_size) +
    `${"JsObjects:".padEnd(16)}${String(m.js_obj_count).padStart(10)}\n` +
    line("KernelImage", m.kernel_size)
  );
}
