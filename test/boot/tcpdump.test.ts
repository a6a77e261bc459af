// tcpdump on the booted image: the host pings napkin over the emulated NE2000
// while tcpdump prints what its packet tap sees, filtered in the kernel.
import { strict as assert } from "assert";
import { IcmpSocket } from "../../net/socket/icmp";
import { UdpSocket } from "../../net/socket/udp";
import { ipv4 } from "../../net/wire/address";
import { HostStack } from "../../tools/hostnet/host_stack";
import { V86Link } from "../../tools/hostnet/v86_link";
import { PROMPT, SerialConsole } from "./serial_console";

const GUEST = "10.0.2.15";
const HOST = "10.0.2.2";
const PING_ID = 0x4e21;
const ECHO = String.raw`IP 10\.0\.2\.2 > 10\.0\.2\.15: ICMP echo request, id ${PING_ID}, seq \d+, length 64`;
const REPLY = String.raw`IP 10\.0\.2\.15 > 10\.0\.2\.2: ICMP echo reply, id ${PING_ID}, seq \d+, length 64`;

/** Echo requests from the host, one at a time, each once answered (or after 5 s). */
async function host_ping(host: HostStack, seqs: number[]): Promise<void> {
  const socket = host.sockets.add_icmp(new IcmpSocket());
  socket.bind(PING_ID);
  const reply = new Uint8Array(128);
  for (const seq of seqs) {
    socket.send_echo(ipv4(GUEST), seq, new Uint8Array(56));
    host.poll();
    const deadline = Date.now() + 5000;
    while (socket.recv_echo(reply) < 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  host.sockets.remove_icmp(socket);
}

/** A few UDP datagrams to the discard port: traffic an icmp filter must leave out. */
function host_udp(host: HostStack, count: number): void {
  const udp = host.sockets.add_udp(new UdpSocket());
  udp.bind(40999);
  for (let i = 0; i < count; i++) udp.send_slice(Uint8Array.of(i), ipv4(GUEST), 9);
  host.poll();
  host.sockets.remove_udp(udp);
}

describe("boot: tcpdump", function () {
  this.timeout(300_000);
  let con: SerialConsole;
  let host: HostStack;

  before(async () => {
    con = await SerialConsole.boot({ nic: "ne2k", cmdline: `ip=${GUEST}/24 gw=${HOST} dhcp_timeout=0` });
    host = new HostStack(new V86Link(con.vm.emulator.bus), { address: `${HOST}/24` });
  });
  after(async () => {
    host?.stop();
    await con?.close();
  });

  /** Start `command` and wait until its tap is open. */
  async function start(command: string): Promise<number> {
    const from = con.output.length;
    con.send(command + "\r");
    await con.wait_for(/listening on \S+, link-type EN10MB \(Ethernet\), snapshot length \d+ bytes\r\n/, from);
    return from;
  }

  /** What the command printed, once the prompt is back. */
  async function finish(from: number): Promise<string> {
    const end = await con.wait_for(PROMPT, from + 1, 60_000);
    return con.output.slice(from, end).replace(/\r\n/g, "\n");
  }

  it("prints the five ICMP frames of `tcpdump -c 5 icmp` while the host pings, and stops", async () => {
    const from = await start("tcpdump -c 5 icmp");
    host_udp(host, 3);
    await host_ping(host, [1, 2, 3]);
    const out = await finish(from);
    const lines = out.split("\n").filter((l) => /^\d\d:\d\d:\d\d\.\d{6} /.test(l));
    assert.equal(lines.length, 5, out);
    const expected = [ECHO, REPLY, ECHO, REPLY, ECHO].map(
      (pattern, i) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} ${pattern.replace(String.raw`seq \d+`, `seq ${1 + (i >> 1)}`)}$`),
    );
    lines.forEach((l, i) => assert.match(l, expected[i]));
    assert.match(out, /\n5 packets captured\n\d+ packets received by filter\n0 packets dropped by kernel\n/);
  });

  it("stops on Ctrl-C and counts what it saw; -i any marks device and direction", async () => {
    const from = await start("tcpdump -i any -n udp or icmp");
    host_udp(host, 2);
    await host_ping(host, [9]);
    await con.wait_for(/eth0 Out IP 10\.0\.2\.15 > 10\.0\.2\.2: ICMP echo reply/, from);
    con.send("\x03");
    const out = await finish(from);
    assert.match(out, /eth0 In  IP 10\.0\.2\.2\.40999 > 10\.0\.2\.15\.9: UDP, length 1\n/);
    assert.match(out, /eth0 In  IP 10\.0\.2\.2 > 10\.0\.2\.15: ICMP echo request, id \d+, seq 9, length 64\n/);
    assert.match(out, /\n4 packets captured\n4 packets received by filter\n/);
  });

  it("writes -w - as base64 lines between markers, which decode to a pcap of what it captured", async () => {
    const from = await start("tcpdump -c 2 -w - icmp");
    await host_ping(host, [30]);
    const out = await finish(from);
    const armored = /-----BEGIN PCAP-----\n([^]*?)-----END PCAP-----\n/.exec(out);
    assert.ok(armored, out);
    // As the host's recipe does: only base64 lines (a kernel message may come between them).
    const pcap = Buffer.from(
      armored[1]
        .split("\n")
        .filter((line) => /^[A-Za-z0-9+/]+=*$/.test(line))
        .join(""),
      "base64",
    );
    assert.equal(pcap.readUInt32LE(0), 0xa1b2c3d4, "pcap magic");
    assert.equal(pcap.readUInt32LE(20), 1, "LINKTYPE_ETHERNET");
    const first_len = pcap.readUInt32LE(24 + 8);
    assert.equal(first_len, 98, "a 56-byte echo request, whole");
    assert.equal(pcap.length, 24 + 2 * (16 + 98), "two records");
    assert.equal(pcap[24 + 16 + 14 + 20], 8, "the first is the echo request");
    assert.equal(pcap[24 + 2 * 16 + 98 + 14 + 20], 0, "the second its reply");
    assert.match(out, /-----END PCAP-----\n2 packets captured\n/);
  });

  it("refuses a bad expression or device with a message, and the shell goes on", async () => {
    assert.match(await con.run("tcpdump -c 1 port 70000"), /^napkin: tcpdump: syntax error in filter expression: '70000' is not a port/);
    assert.match(await con.run("tcpdump -c 1 (icmp"), /syntax error in filter expression: missing '\)' after '\( icmp'/);
    assert.match(await con.run("tcpdump -i eth9"), /napkin: tcpdump: eth9: No such device exists/);
    assert.match(await con.run("tcpdump -w capture.pcap"), /napkin has no files: -w - writes the capture to the terminal/);
    assert.match(await con.run("echo still here"), /still here/);
  });
});
