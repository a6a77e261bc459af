// The socket set's demultiplexing table: every connection and listener that
// is not CLOSED is found by its addresses and ports, through chains where
// keys meet, and a socket leaves the table when it closes or leaves the set.
import * as assert from "assert";
import { SocketSet } from "../../net/socket/socket_set";
import { TcpSocket } from "../../net/socket/tcp";
import { ipv4 } from "../../net/wire/address";

const LOCAL = ipv4("10.0.0.1"),
  OTHER_LOCAL = ipv4("10.0.0.9");
const REMOTE = ipv4("10.1.0.0");

function connection(set: SocketSet, remote: number, remote_port: number, local_port: number, local = LOCAL): TcpSocket {
  const s = set.add_tcp(new TcpSocket());
  s.connect(0, remote, remote_port, local, local_port, 1460);
  return s;
}

describe("net: TCP demultiplexing", () => {
  it("finds each of thousands of connections, and none that closed", () => {
    const set = new SocketSet();
    const all: TcpSocket[] = [];
    for (let i = 0; i < 3000; i++) all.push(connection(set, REMOTE + (i >> 4), 40000 + (i & 15), 23));
    for (let i = 0; i < all.length; i++) assert.strictEqual(set.tcp_lookup(REMOTE + (i >> 4), 40000 + (i & 15), LOCAL, 23), all[i]);
    for (let i = 0; i < all.length; i += 2) all[i].done("reset");
    for (let i = 0; i < all.length; i++) {
      assert.strictEqual(set.tcp_lookup(REMOTE + (i >> 4), 40000 + (i & 15), LOCAL, 23), i % 2 === 0 ? null : all[i]);
    }
    assert.strictEqual(set.tcp_lookup(REMOTE, 40000, LOCAL, 24), null, "another local port");
    assert.strictEqual(set.tcp_lookup(REMOTE, 40000, OTHER_LOCAL, 23), null, "another local address");
  });

  it("keeps apart sockets under one key, and finds the rest when one leaves", () => {
    const set = new SocketSet();
    // Same remote address and ports, two local addresses: one key, a chain of two.
    const a = connection(set, REMOTE, 5000, 80, LOCAL);
    const b = connection(set, REMOTE, 5000, 80, OTHER_LOCAL);
    assert.strictEqual(set.tcp_lookup(REMOTE, 5000, LOCAL, 80), a);
    assert.strictEqual(set.tcp_lookup(REMOTE, 5000, OTHER_LOCAL, 80), b);
    set.remove_tcp(b);
    assert.strictEqual(set.tcp_lookup(REMOTE, 5000, OTHER_LOCAL, 80), null);
    assert.strictEqual(set.tcp_lookup(REMOTE, 5000, LOCAL, 80), a);
    a.done("reset");
    assert.strictEqual(set.tcp_lookup(REMOTE, 5000, LOCAL, 80), null);
    // Connected again: back in the table.
    a.connect(0, REMOTE, 5000, LOCAL, 81, 1460);
    assert.strictEqual(set.tcp_lookup(REMOTE, 5000, LOCAL, 81), a);
  });

  it("finds the listener for a SYN by local address and port, bound ones and wildcards alike", () => {
    const set = new SocketSet();
    const any = set.add_tcp(new TcpSocket());
    any.listen(80);
    const bound = set.add_tcp(new TcpSocket());
    bound.listen(8080, 8, OTHER_LOCAL);
    const bound_too = set.add_tcp(new TcpSocket());
    bound_too.listen(8080, 8, LOCAL);
    assert.strictEqual(set.tcp_listener(LOCAL, 80), any);
    assert.strictEqual(set.tcp_listener(OTHER_LOCAL, 80), any);
    assert.strictEqual(set.tcp_listener(LOCAL, 8080), bound_too);
    assert.strictEqual(set.tcp_listener(OTHER_LOCAL, 8080), bound);
    assert.strictEqual(set.tcp_lookup(0, 0, LOCAL, 80), null, "a listener is no connection");
    bound_too.close();
    assert.strictEqual(set.tcp_listener(LOCAL, 8080), null);
    assert.strictEqual(set.tcp_listener(OTHER_LOCAL, 8080), bound);
  });
});
