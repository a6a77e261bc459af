// The port forward's connection cap, without a guest: a second HostStack
// plays the guest (an echo service) at the far end of a fake wire; real
// Node sockets connect to the forwarded port.
import { strict as assert } from "assert";
import net from "net";
import { TcpSocket } from "../../net/socket/tcp";
import { ipv4 } from "../../net/wire/address";
import { HostStack } from "../../tools/hostnet/host_stack";
import { PortForward } from "../../tools/hostnet/port_forward";
import { wire } from "./fake_wire";

const CAP = 3;

/** The "guest": echoes every connection on `port`. */
function echo_guest(stack: HostStack, port: number): void {
  const listener = stack.sockets.add_tcp(new TcpSocket());
  listener.listen(port, 8);
  const conns: TcpSocket[] = [];
  const buf = new Uint8Array(4096);
  stack.on_poll.push(() => {
    for (let child; (child = listener.accept()) !== null;) conns.push(child);
    for (const s of conns) {
      const n = s.recv_slice(buf, 0, Math.min(buf.length, s.tx.window()));
      if (n > 0) s.send_slice(buf, 0, n);
      if (s.at_eof() && s.may_send()) s.close();
    }
  });
}

/** A client that has had "ping" echoed back, so its bridge is up; or the error that ended it. */
function connect_and_echo(port: number): Promise<{ socket: net.Socket; outcome: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write("ping"));
    let echoed = "";
    socket.on("data", (chunk: Buffer) => {
      echoed += chunk.toString();
      if (echoed === "ping") resolve({ socket, outcome: "echoed" });
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve({ socket, outcome: `error ${error.code}` }));
    socket.on("close", () => resolve({ socket, outcome: "closed" }));
  });
}

describe("host network: port forward connection cap", function () {
  this.timeout(30_000);
  let host: HostStack;
  let guest: HostStack;
  let forward: PortForward;
  let port: number;

  before(async () => {
    const [host_link, guest_link] = wire();
    host = new HostStack(host_link, { address: "10.0.2.2/24" });
    guest = new HostStack(guest_link, { address: "10.0.2.15/24", mac: 0x525400123456 });
    echo_guest(guest, 7);
    forward = new PortForward(host, ipv4("10.0.2.15"), { host_port: 0, guest_port: 7, bind: "127.0.0.1" }, CAP);
    port = await forward.listen();
  });
  after(() => {
    forward.close();
    host.stop();
    guest.stop();
  });

  it("carries CAP connections, resets the ones beyond and counts them, and takes new ones once some close", async () => {
    let told = 0;
    forward.on_refuse = (refused) => (told = refused);
    const open = await Promise.all(Array.from({ length: CAP }, () => connect_and_echo(port)));
    assert.deepEqual(
      open.map((c) => c.outcome),
      Array(CAP).fill("echoed"),
    );
    assert.equal(forward.bridges.size, CAP);
    const extra = await Promise.all([connect_and_echo(port), connect_and_echo(port)]);
    for (const e of extra) assert.match(e.outcome, /^error ECONNRESET$|^closed$/);
    assert.equal(forward.refused, 2);
    assert.equal(told, 2, "the owner is told of each refusal");
    assert.equal(forward.bridges.size, CAP, "the refused clients cost no bridge");
    // The open ones were not disturbed.
    const again = await new Promise<string>((resolve) => {
      open[0].socket.once("data", (chunk: Buffer) => resolve(chunk.toString()));
      open[0].socket.write("still here");
    });
    assert.equal(again, "still here");
    open[1].socket.end();
    for (let i = 0; i < 200 && forward.bridges.size >= CAP; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const later = await connect_and_echo(port);
    assert.equal(later.outcome, "echoed");
    for (const c of [...open, later]) c.socket.destroy();
  });
});
