import { hal } from "../../../hal/current";
import { register_command } from "../command";

const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

register_command({
  name: "mem",
  usage: "mem",
  description: "physical memory, C heap, DMA pages and JS heap",
  run(ctx) {
    const m = hal.mem_info();
    ctx.println(`physical: ${kib(m.phys_total)} (${Math.round(m.phys_total / (1024 * 1024))} MiB)`);
    ctx.println(`C heap:   ${kib(m.heap_used)} used of ${kib(m.heap_total)}`);
    ctx.println(`DMA:      ${kib(m.dma_used)} used of ${kib(m.dma_total)}`);
    ctx.println(`JS heap:  ${kib(m.js_malloc_size)} in ${m.js_obj_count} objects`);
    ctx.println(`kernel:   ${kib(m.kernel_size)}`);
  },
});
