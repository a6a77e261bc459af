// tcpdump's filter expressions (kernel/services/shell/commands/net/pcap_filter.ts):
// what good ones match, that bad ones fail with a FilterSyntaxError saying
// why, and that no input, expression or frame, makes either throw anything else.
import { strict as assert } from "assert";
import { compile_filter, FilterSyntaxError, parse_filter } from "../../kernel/services/shell/commands/net/pcap_filter";
import { PacketHeaders } from "../../kernel/services/shell/commands/net/packet_headers";
import { ipv4, mac } from "../../net/wire/address";
import { ARP_REQUEST } from "../../net/wire/arp";
import { ICMP_ECHO_REQUEST } from "../../net/wire/icmpv4";
import { TcpRepr, TCP_SYN } from "../../net/wire/tcp";
import { arp_frame, icmp_echo_frame, tcp_frame, udp_frame } from "../net/frames";

const HOST = ipv4("10.0.2.2");
const GUEST = ipv4("10.0.2.15");
const OTHER = ipv4("192.168.1.7");
const HOST_MAC = mac("52:54:00:12:35:02");
const GUEST_MAC = mac("52:54:00:12:34:56");

function tcp(src: number, dst: number, src_port: number, dst_port: number): Uint8Array {
  const repr = new TcpRepr();
  repr.src_port = src_port;
  repr.dst_port = dst_port;
  repr.flags = TCP_SYN;
  repr.window_len = 1000;
  return tcp_frame(GUEST_MAC, HOST_MAC, src, dst, repr);
}

/** One frame of each kind the filter tells apart. */
const FRAMES: Record<string, Uint8Array> = {
  ping: icmp_echo_frame(GUEST_MAC, HOST_MAC, HOST, GUEST, ICMP_ECHO_REQUEST, 1, 1, new Uint8Array(8)),
  arp: arp_frame(0xffffffffffff, HOST_MAC, ARP_REQUEST, HOST_MAC, HOST, 0, GUEST),
  telnet: tcp(HOST, GUEST, 40000, 23),
  dns: udp_frame(HOST_MAC, GUEST_MAC, GUEST, ipv4("10.0.2.3"), 5353, 53, new Uint8Array(12)),
  far: udp_frame(GUEST_MAC, HOST_MAC, OTHER, GUEST, 7, 9, new Uint8Array(4)),
};

/** The names of the frames `expression` keeps. */
function kept(expression: string): string[] {
  const filter = compile_filter(expression);
  return Object.keys(FRAMES).filter((name) => filter === null || filter(FRAMES[name], 0, FRAMES[name].length));
}

describe("tcpdump: filter expressions", () => {
  it("keeps everything without an expression", () => {
    assert.equal(parse_filter(""), null);
    assert.equal(parse_filter("  ' ' "), null);
  });

  it("tells protocols apart", () => {
    assert.deepEqual(kept("icmp"), ["ping"]);
    assert.deepEqual(kept("arp"), ["arp"]);
    assert.deepEqual(kept("tcp"), ["telnet"]);
    assert.deepEqual(kept("udp"), ["dns", "far"]);
    assert.deepEqual(kept("ip"), ["ping", "telnet", "dns", "far"]);
    assert.deepEqual(kept("proto 17"), ["dns", "far"]);
    assert.deepEqual(kept("ip proto tcp"), ["telnet"]);
  });

  it("matches hosts in IPv4 and in ARP, by direction", () => {
    assert.deepEqual(kept("host 10.0.2.2"), ["ping", "arp", "telnet"]);
    assert.deepEqual(kept("src host 10.0.2.2"), ["ping", "arp", "telnet"]);
    assert.deepEqual(kept("dst host 10.0.2.15"), ["ping", "arp", "telnet", "far"]);
    assert.deepEqual(kept("ip host 10.0.2.15"), ["ping", "telnet", "dns", "far"]);
    assert.deepEqual(kept("arp host 10.0.2.15"), ["arp"]);
    assert.deepEqual(kept("src and dst net 10.0.2.0/24"), ["ping", "arp", "telnet", "dns"]);
    assert.deepEqual(kept("src 192.168.1.7"), ["far"], "host is the kind a direction implies");
    assert.deepEqual(kept("10.0.2.3"), ["dns"], "and a bare address is a host");
  });

  it("matches TCP and UDP ports, by direction and protocol", () => {
    assert.deepEqual(kept("port 23"), ["telnet"]);
    assert.deepEqual(kept("port telnet or domain"), ["telnet", "dns"]);
    assert.deepEqual(kept("dst port 53"), ["dns"]);
    assert.deepEqual(kept("src port 53"), []);
    assert.deepEqual(kept("src or dst port 9"), ["far"]);
    assert.deepEqual(kept("tcp port 53"), []);
    assert.deepEqual(kept("udp port 53"), ["dns"]);
  });

  it("combines with and, or, not and parentheses, and carries qualifiers to bare values", () => {
    assert.deepEqual(kept("icmp or arp"), ["ping", "arp"]);
    assert.deepEqual(kept("not ip"), ["arp"]);
    assert.deepEqual(kept("! tcp && ! udp"), ["ping", "arp"]);
    assert.deepEqual(kept("host 10.0.2.2 and not arp"), ["ping", "telnet"]);
    assert.deepEqual(kept("udp and (port 9 or port 23)"), ["far"]);
    assert.deepEqual(kept("(udp and port 9) or port 23"), ["telnet", "far"]);
    assert.deepEqual(kept("port 23 or 9"), ["telnet", "far"], "9 is a port like 23");
    assert.deepEqual(kept("host 10.0.2.3 or 192.168.1.7"), ["dns", "far"]);
    assert.deepEqual(kept("not not icmp"), ["ping"]);
  });

  it("takes quotes as spaces, since the shell has none", () => {
    assert.deepEqual(kept("'tcp port 23'"), ["telnet"]);
    assert.deepEqual(kept('"icmp" or "arp"'), ["ping", "arp"]);
  });

  it("refuses bad input with a message that says what and where", () => {
    const cases: [string, RegExp][] = [
      ["hots 10.0.2.2", /unknown word 'hots' at the start; the keywords are host, net, port/],
      ["host", /expected an IPv4 address after 'host'/],
      ["host 10.0.2", /'10\.0\.2' is not an IPv4 address/],
      ["host 10.0.2.256", /'10\.0\.2\.256' is not an IPv4 address/],
      ["host gateway", /'gateway' is not an IPv4 address \(napkin's tcpdump resolves no names\)/],
      ["port 65536", /'65536' is not a port/],
      ["port -1", /'-1' is not a port/],
      ["net 10.0.2.0", /not a network: write ADDRESS\/PREFIX/],
      ["net 10.0.2.1/24", /has bits set beyond its prefix \(the network is 10\.0\.2\.0\/24\)/],
      ["net 10.0.0.0/33", /not a network/],
      ["proto 256", /'256' is not an IP protocol/],
      ["proto", /expected a protocol number or name/],
      ["tcp host 10.0.2.2", /host applies to ip and arp only/],
      ["arp port 23", /port applies to tcp and udp only/],
      ["icmp and", /expected an expression after 'icmp and'/],
      ["or icmp", /expected an expression but found 'or' at the start/],
      ["icmp icmp", /unexpected 'icmp' after 'icmp'/],
      ["(icmp", /missing '\)' after '\( icmp'/],
      ["icmp)", /unexpected '\)' after 'icmp'/],
      ["()", /expected an expression but found '\)' after '\('/],
      ["not", /expected an expression after 'not'/],
      ["icmp & arp", /'&' alone means nothing here/],
      ["icmp | arp", /'\|' alone means nothing here/],
      ["host (10.0.2.2)", /expected an IPv4 address but found '\('/],
      ["(".repeat(40) + "icmp" + ")".repeat(40), /nested deeper than 32/],
      ["not ".repeat(40) + "icmp", /nested deeper than 32/],
      ["port 23 or gateway", /unknown word 'gateway'/],
    ];
    for (const [expression, message] of cases) {
      assert.throws(
        () => parse_filter(expression),
        (error: unknown) => error instanceof FilterSyntaxError && message.test(error.message),
        expression,
      );
    }
  });

  it("never throws anything but a FilterSyntaxError, and its filters never throw on any frame", () => {
    const words = [
      "host",
      "net",
      "port",
      "src",
      "dst",
      "proto",
      "ip",
      "arp",
      "tcp",
      "udp",
      "icmp",
      "and",
      "or",
      "not",
      "(",
      ")",
      "!",
      "&&",
      "||",
      "10.0.2.2",
      "10.0.2.0/24",
      "23",
      "telnet",
      "0",
      "999999",
      "x",
      "'",
      "&",
      "-c",
      "1.2.3",
    ];
    let seed = 15;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const frames = Object.values(FRAMES);
    let parsed = 0;
    for (let round = 0; round < 5000; round++) {
      const expression = Array.from({ length: 1 + random(8) }, () => words[random(words.length)]).join(" ");
      let filter;
      try {
        filter = compile_filter(expression);
      } catch (error) {
        assert.ok(error instanceof FilterSyntaxError, `${expression}: ${error}`);
        continue;
      }
      parsed++;
      // Cut frames anywhere, and scribble on one: a filter reads only what is there.
      const frame = frames[random(frames.length)].slice();
      frame[random(frame.length)] = random(256);
      filter?.(frame, 0, random(frame.length + 1));
    }
    assert.ok(parsed > 100, `only ${parsed} random expressions parsed`);
  });

  it("decodes a frame cut short without reading past it", () => {
    const h = new PacketHeaders();
    const telnet = FRAMES.telnet;
    assert.equal(h.decode(telnet, 0, 14 + 20 + 4).dst_port, 23, "ports need only their four bytes");
    assert.equal(h.decode(telnet, 0, 14 + 20 + 3).dst_port, -1);
    assert.equal(h.decode(telnet, 0, 14 + 19).ip, false);
    assert.equal(h.decode(FRAMES.arp, 0, 14 + 27).arp, false);
  });
});
