// The port forward without a guest: a second HostStack plays the guest (an
// echo service on port 23) at the far end of a wire made of two V86Links on
// fake buses, and real Node sockets connect to the forwarded port.
import { strict as assert } from "assert";
import net from "net";
import { TcpSocket } from "../../net/socket/tcp";
import { ipv4 } from "../../net/wire/address";
import { HostStack } from "../../tools/hostnet/host_stack";
import { parse_hostfwd, PortForward } from "../../tools/hostnet/port_forward";
import { wire } from "./fake_wire";

/** The "guest": echoes every connection on `port`, closing when the client does. */
function echo_guest(stack: HostStack, port: number): void {
  const listener = stack.sockets.add_tcp(new TcpSocket());
  listener.listen(port, 8);
  const conns: TcpSocket[] = [];
  const buf = new Uint8Array(8192);
  stack.on_poll.push(() => {
    for (let child; (child = listener.accept()) !== null;) conns.push(child);
    for (const s of conns) {
      const n = s.recv_slice(buf, 0, Math.min(buf.length, s.tx.window()));
      if (n > 0) s.send_slice(buf, 0, n);
      if (s.at_eof() && s.may_send()) s.close();
    }
  });
}

function exchange(port: number, data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const client = net.connect(port, "127.0.0.1", () => client.end(data)); // write all, then half-close
    client.on("data", (chunk: Buffer) => chunks.push(chunk));
    client.on("end", () => resolve(Buffer.concat(chunks)));
    client.on("error", reject);
  });
}

describe("host network: port forward", function () {
  this.timeout(30_000);
  let host: HostStack;
  let guest: HostStack;
  let forward: PortForward;
  let port: number;

  before(async () => {
    const [host_link, guest_link] = wire();
    host = new HostStack(host_link, { address: "10.0.2.2/24" });
    guest = new HostStack(guest_link, { address: "10.0.2.15/24", mac: 0x525400123456 });
    echo_guest(guest, 23);
    forward = new PortForward(host, ipv4("10.0.2.15"), { host_port: 0, guest_port: 23, bind: "127.0.0.1" });
    port = await forward.listen();
  });
  after(() => {
    forward.close();
    host.stop();
    guest.stop();
  });

  it("parses QEMU's hostfwd syntax", () => {
    assert.deepEqual(parse_hostfwd("tcp:2323-:23"), { host_port: 2323, guest_port: 23, bind: "127.0.0.1" });
    assert.deepEqual(parse_hostfwd("tcp:0.0.0.0:8080-10.0.2.15:80"), { host_port: 8080, guest_port: 80, bind: "0.0.0.0" });
    assert.throws(() => parse_hostfwd("udp:53-:53"), /bad --hostfwd/);
  });

  it("carries 1 MiB both ways byte-exact, through the buffers' backpressure, and passes the half close on", async () => {
    const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + (i >> 11)) & 0xff);
    const echoed = await exchange(port, data);
    assert.equal(echoed.length, data.length);
    assert.ok(echoed.equals(data));
  });

  it("serves several connections at once and frees their bridges", async () => {
    const messages = Array.from({ length: 5 }, (_, i) => new TextEncoder().encode(`connection ${i} `.repeat(2000)));
    const echoes = await Promise.all(messages.map((m) => exchange(port, m)));
    echoes.forEach((e, i) => assert.ok(e.equals(messages[i])));
    for (let i = 0; i < 100 && forward.bridges.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(forward.bridges.size, 0);
  });

  it("resets the client when the guest port is closed", async () => {
    const refused = new PortForward(host, ipv4("10.0.2.15"), { host_port: 0, guest_port: 4444, bind: "127.0.0.1" });
    const refused_port = await refused.listen();
    try {
      const outcome = await new Promise<string>((resolve) => {
        const client = net.connect(refused_port, "127.0.0.1");
        client.on("error", (error) => resolve(`error ${(error as NodeJS.ErrnoException).code}`));
        client.on("end", () => resolve("end"));
        client.on("close", () => resolve("close"));
      });
      assert.equal(outcome, "error ECONNRESET");
    } finally {
      refused.close();
    }
  });
});
