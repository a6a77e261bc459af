// Magic SysRq keys, for proving that faults stay contained.
import { hal } from "../../../hal/current";
import { KERN_INFO, printk } from "../../../log";
import { kthread_run } from "../../../sched/sched";
import { register_command } from "../command";
import { ps_text } from "./ps";

interface SysrqKey {
  key: string;
  description: string;
  action(): void;
}

const keys: SysrqKey[] = [
  {
    key: "c",
    description: "crash: a thread dereferences null (an oops)",
    action() {
      kthread_run("sysrq-crash", () => {
        const nothing = null as unknown as { field: number };
        nothing.field = 1;
      });
    },
  },
  {
    key: "l",
    description: "lockup: a thread spins forever (the watchdog kills it)",
    action() {
      kthread_run("sysrq-lockup", () => {
        const start = hal.now_us();
        while (hal.now_us() >= start) {
          // The clock never runs backwards.
        }
      });
    },
  },
  {
    key: "f",
    description: "fill memory: a thread allocates until QuickJS runs out of memory (an oops; the memory comes back)",
    action() {
      kthread_run("sysrq-oom", () => {
        const hoard: Uint8Array[] = [];
        for (;;) hoard.push(new Uint8Array(64 * 1024));
      });
    },
  },
  {
    key: "x",
    description: "CPU fault: run an invalid instruction (the machine stops with a fault report)",
    action() {
      hal.crash();
    },
  },
  {
    key: "t",
    description: "dump the thread list to the kernel log",
    action() {
      printk(KERN_INFO, "sysrq: Show State\n" + ps_text().trimEnd());
    },
  },
];

function help_text(): string {
  return keys.map((k) => `  ${k.key}  ${k.description}`).join("\n");
}

register_command({
  name: "sysrq",
  usage: "sysrq KEY",
  description: "magic SysRq: c crash thread, l lockup thread, f fill memory, x CPU fault, t dump threads",
  run(ctx) {
    const key = keys.find((k) => k.key === ctx.argv[1]);
    if (!key || ctx.argv.length !== 2) {
      ctx.println("sysrq keys:\n" + help_text());
      return;
    }
    printk(KERN_INFO, `sysrq: ${key.description}`);
    key.action();
  },
});
