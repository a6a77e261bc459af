// The guest's first serial port on an xterm.js terminal: bytes the UART
// sends go to the screen, keystrokes go to the UART one byte at a time.
import { Terminal } from "@xterm/xterm";
import type { PageVm } from "./boot_v86";

/** Connects the two; returns the function that types into the guest (the terminal uses it too). */
export function attach_serial(term: Terminal, vm: PageVm): (data: string) => void {
  vm.bus.register("serial0-output-byte", (byte: number) => term.write(Uint8Array.of(byte)), null);
  const encoder = new TextEncoder();
  const type = (data: string) => {
    for (const byte of encoder.encode(data)) vm.bus.send("serial0-input", byte);
  };
  term.onData(type);
  return type;
}
