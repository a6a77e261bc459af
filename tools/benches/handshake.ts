// For the host-side benches that feed one stack a stream: a real TCP
// handshake over an in-memory link, from a peer stack to a listener on the
// stack under test, and where it left the two sequence spaces, so that the
// bench's own segments can carry on from there.
import { Interface } from "../../net/iface/interface";
import { MemoryLink } from "../../net/phy/memory_link";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpConfig, TcpSocket } from "../../net/socket/tcp";

/** Both ends of a link, each an interface with its sockets. */
export interface LinkedStacks {
  peer: Interface;
  peer_sockets: SocketSet;
  iface: Interface;
  sockets: SocketSet;
}

/** The accepted connection, the next sequence number it expects, and the next it sends. */
export interface Handshaken {
  connection: TcpSocket;
  rcv_nxt: number;
  snd_nxt: number;
}

/** Connect peer port 40000 to `address`:`port` on iface (listening with `config`) over `link`. */
export function handshake(
  link: MemoryLink,
  stacks: LinkedStacks,
  address: number,
  port: number,
  config: Partial<TcpConfig> = {},
): Handshaken {
  const listener = stacks.sockets.add_tcp(new TcpSocket(config));
  listener.listen(port, 1);
  const client = stacks.peer_sockets.add_tcp(new TcpSocket());
  stacks.peer.tcp_connect(0, client, address, port, 40000);
  let connection: TcpSocket | null = null;
  for (let t = 0; t < 100 && connection === null; t++) {
    stacks.peer.poll(t, link.a, stacks.peer_sockets);
    stacks.iface.poll(t, link.b, stacks.sockets);
    connection = listener.accept();
  }
  if (connection === null) throw new Error("handshake failed");
  // Private fields: a bench's look at where the stream stands.
  const numbers = connection as unknown as { rcv_nxt: number; snd_nxt: number };
  return { connection, rcv_nxt: numbers.rcv_nxt, snd_nxt: numbers.snd_nxt };
}
