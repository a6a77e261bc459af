// The machine the kernel runs on. kernel_main (or a test) installs it once
// with set_hal(); every subsystem reads the live binding `hal`.
import type { Hal } from "./hal";

export let hal: Hal;

export function set_hal(machine: Hal): void {
  hal = machine;
}
