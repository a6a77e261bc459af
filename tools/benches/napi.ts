// tools/bench napi [ne2k|virtio] [FRAMES]: flood the guest with small UDP
// frames from the host side, once with the NIC in NAPI mode and once in plain
// interrupt mode, and print what each costs: interrupts per received packet,
// packets received, NAPI polls, budget exhaustion (time_squeeze), and whether
// the serial shell still answered during the flood.
import { SerialConsole } from "../../test/boot/serial_console";
import { V86Link } from "../hostnet/v86_link";
import { v86_rx_no_buffer_drops } from "../vm";

const GUEST_MAC = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const HOST_MAC = [0x52, 0x54, 0x00, 0x12, 0x35, 0x02];

function udp_frame(seq: number): Uint8Array {
  const payload = 18;
  const ip_len = 20 + 8 + payload;
  const f = new Uint8Array(14 + ip_len);
  f.set(GUEST_MAC, 0);
  f.set(HOST_MAC, 6);
  f[12] = 0x08;
  const ip = [0x45, 0, ip_len >> 8, ip_len & 255, (seq >> 8) & 255, seq & 255, 0, 0, 64, 17, 0, 0, 10, 0, 2, 2, 10, 0, 2, 15];
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (ip[i] << 8) | ip[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip[10] = (~sum >> 8) & 255;
  ip[11] = ~sum & 255;
  f.set(ip, 14);
  // UDP to port 9 (discard), checksum 0 (none), as IPv4 allows.
  f.set([0x30, 0x39, 0, 9, 0, 8 + payload, 0, 0], 34);
  return f;
}

function counter(text: string, pattern: RegExp): number {
  const m = text.match(pattern);
  return m ? Number(m[1]) : NaN;
}

async function flood(nic: "ne2k" | "virtio", mode: "napi" | "interrupt", frames: number): Promise<void> {
  const con = await SerialConsole.boot({ nic, cmdline: "ip=10.0.2.15/24 gw=10.0.2.2 dhcp_timeout=0" });
  const link = new V86Link(con.vm.emulator.bus);
  await con.run(`ip link set dev eth0 mode ${mode}`);
  const before = await con.run("ip -s link show dev eth0");
  const t0 = Date.now();
  const no_buffer_before = v86_rx_no_buffer_drops;
  let sent = 0;
  // As fast as the bus takes them: a burst per turn of the event loop, so the
  // emulator runs between bursts.
  await new Promise<void>((resolve) => {
    const burst = () => {
      for (let i = 0; i < 16 && sent < frames; i++) link.inject(udp_frame(sent++));
      if (sent < frames) setImmediate(burst);
      else resolve();
    };
    burst();
  });
  const flood_ms = Date.now() - t0;
  const shell_t0 = Date.now();
  const answer = await con.run("echo alive", 120_000);
  const shell_ms = Date.now() - shell_t0;
  const after = await con.run("ip -s link show dev eth0");
  const softnet = await con.run("cat /proc/net/softnet_stat");
  const rx = (t: string) => counter(t, /RX: bytes.*\n\s*\d+\s+(\d+)/);
  const irqs = (t: string) => counter(t, /IRQ\/NAPI:.*\n\s*(\d+)/);
  const polls = (t: string) => counter(t, /IRQ\/NAPI:.*\n\s*\d+\s+(\d+)/);
  const received = rx(after) - rx(before);
  const irq_count = irqs(after) - irqs(before);
  const squeeze = parseInt(softnet.trim().split(/\s+/)[2], 16);
  console.log(
    `${nic} ${mode.padEnd(9)}: offered ${frames} frames in ${flood_ms} ms, received ${received}, ` +
      `irqs ${irq_count} (${(irq_count / Math.max(1, received)).toFixed(3)} per packet), polls ${polls(after) - polls(before)}, ` +
      `time_squeeze ${squeeze}, ${nic === "virtio" ? `dropped by the device for want of a buffer ${v86_rx_no_buffer_drops - no_buffer_before}, ` : ""}` +
      `shell answered "${answer.trim()}" in ${shell_ms} ms`,
  );
  await con.close();
}

async function main(): Promise<void> {
  const nic = (process.argv[2] ?? "ne2k") as "ne2k" | "virtio";
  const frames = Number(process.argv[3] ?? 20000);
  await flood(nic, "napi", frames);
  await flood(nic, "interrupt", frames);
  process.exit(0);
}

void main();
