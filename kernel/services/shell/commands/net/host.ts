// host: look a name up in DNS (a stub resolver, RFC 1035), asking the name
// server DHCP gave the shell's namespace, or the one named on the line.
import { hal } from "../../../../hal/current";
import { current_netns } from "../../../../net/namespaces";
import { build_query, DNS_PORT, parse_answer, RCODE_NOERROR, RCODE_NXDOMAIN } from "../../../../../net/wire/dns";
import { UdpEndpoint } from "../../../../../net/socket/api";
import { UdpSocket } from "../../../../../net/socket/udp";
import { ephemeral_port } from "../../../../../net/socket/tcp";
import { ipv4, ipv4_to_string } from "../../../../../net/wire/address";
import { register_command, UsageError } from "../../command";

const TIMEOUT_US = 2_000_000;
const TRIES = 3;

register_command({
  name: "host",
  usage: "host NAME [SERVER]",
  description: "look up NAME's IPv4 addresses in DNS",
  async run(ctx) {
    if (ctx.argv.length < 2 || ctx.argv.length > 3) throw new UsageError();
    const name = ctx.argv[1];
    const ns = current_netns();
    let server = ns.nameserver;
    if (ctx.argv[2] !== undefined) {
      try {
        server = ipv4(ctx.argv[2]);
      } catch {
        throw new Error(`${ctx.argv[2]}: not an IPv4 address`);
      }
    }
    if (server === 0) throw new Error("no name server: none came with DHCP; give one as SERVER");
    const id = (hal.now_us() * 7919) & 0xffff;
    const query = build_query(id, name);
    if (!query) throw new Error(`'${name}' is not a valid domain name`);

    const endpoint = new UdpEndpoint(ns.context, ephemeral_port(), new UdpSocket(4, 4096));
    const reply = new Uint8Array(512);
    try {
      for (let attempt = 0; attempt < TRIES; attempt++) {
        await endpoint.send_to(query, server, DNS_PORT);
        const deadline = hal.now_us() + TIMEOUT_US;
        for (;;) {
          const got = await endpoint.recv_from(reply, deadline - hal.now_us());
          if (got === null) break;
          const answer = got.addr === server ? parse_answer(reply, got.length, id) : null;
          if (!answer) continue; // not the answer to our question
          if (answer.rcode === RCODE_NXDOMAIN) throw new Error(`Host ${name} not found: 3(NXDOMAIN)`);
          if (answer.rcode !== RCODE_NOERROR) throw new Error(`Host ${name} not found: ${answer.rcode}`);
          if (answer.addresses.length === 0) ctx.println(`${name} has no IPv4 address`);
          for (const address of answer.addresses) ctx.println(`${name} has address ${ipv4_to_string(address)}`);
          return;
        }
      }
      throw new Error(`connection timed out; no servers could be reached (${ipv4_to_string(server)})`);
    } finally {
      endpoint.close();
    }
  },
});
