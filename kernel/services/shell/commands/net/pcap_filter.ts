// tcpdump's filter expressions, the part of pcap-filter(7) napkin's traffic
// needs, parsed into a test over a frame's decoded headers:
//
//   expr      := and ("or" | "||") and ...
//   and       := unary ("and" | "&&") unary ...
//   unary     := ("not" | "!") unary | "(" expr ")" | primitive
//   primitive := [PROTO] [DIR] KIND VALUE      host A, src net 10.0.2.0/24, tcp dst port 23
//              | PROTO                         ip, arp, tcp, udp, icmp
//              | ["ip"] "proto" (N | tcp | udp | icmp)
//              | VALUE                         with the qualifiers of the last primitive
//                                              that had them ("host a or b", "port 7 or 9")
//   PROTO := ip | arp | tcp | udp | icmp       DIR := src | dst | src or dst | src and dst
//   KIND  := host | net | port
//
// host and net match IPv4 addresses and ARP's sender and target addresses
// (only one of them with "ip" or "arp" before); port matches TCP and UDP
// (only one with "tcp" or "udp"). The shell has no quoting, so quotes are
// taken as spaces: tcpdump 'tcp port 23' works as it does elsewhere.
// Whatever the input, parsing either succeeds or throws a FilterSyntaxError
// that says what it expected and where.
import type { TapFilter } from "../../../../net/tap";
import { ipv4, ipv4_to_string, prefix_mask } from "../../../../../net/wire/address";
import { ETHERTYPE_ARP, ETHERTYPE_IPV4 } from "../../../../../net/wire/ethernet";
import { IP_PROTOCOL_ICMP, IP_PROTOCOL_TCP, IP_PROTOCOL_UDP } from "../../../../../net/wire/ipv4";
import { PacketHeaders } from "./packet_headers";
import { port_by_name } from "./well_known_ports";

/** An expression that does not parse; the message says why and where. */
export class FilterSyntaxError extends Error {}

/** A parsed expression: whether a frame's decoded headers match it. */
export type HeaderTest = (headers: PacketHeaders) => boolean;

/** Parentheses nest at most this deep (the parser recurses on them). */
const MAX_DEPTH = 32;
/** Words of context an error message quotes. */
const WORDS_SHOWN = 6;

type Proto = "ip" | "arp" | "tcp" | "udp" | "icmp";
type Dir = "src" | "dst" | "src or dst" | "src and dst";
type Kind = "host" | "net" | "port";

const PROTOS: readonly string[] = ["ip", "arp", "tcp", "udp", "icmp"];
const KINDS: readonly string[] = ["host", "net", "port"];
const IP_PROTOCOL_NUMBERS: Record<string, number> = { icmp: IP_PROTOCOL_ICMP, tcp: IP_PROTOCOL_TCP, udp: IP_PROTOCOL_UDP };
const KEYWORDS = "host, net, port, src, dst, proto, ip, arp, tcp, udp, icmp, and, or, not";

interface Qualifiers {
  proto: Proto | null;
  dir: Dir;
  kind: Kind;
}

/** Split the expression into words and the operators ( ) ! && ||; quotes count as spaces. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s+|['"]|&&|\|\||[()!]|[^\s'"()!&|]+|./g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    const token = m[0];
    if (/^[\s'"]/.test(token)) continue;
    if (token === "&" || token === "|")
      throw new FilterSyntaxError(`'${token}' alone means nothing here (use 'and' or '&&', 'or' or '||')`);
    tokens.push(token);
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private depth = 0;
  /** The qualifiers of the last primitive that had some, for a bare value. */
  private last: Qualifiers | null = null;

  constructor(private readonly tokens: string[]) {}

  parse(): HeaderTest {
    const test = this.or();
    if (this.pos < this.tokens.length) throw this.error(`unexpected '${this.tokens[this.pos]}'`);
    return test;
  }

  private peek(): string | undefined {
    return this.tokens[this.pos];
  }

  private accept(...words: string[]): string | null {
    const token = this.peek();
    if (token === undefined || words.indexOf(token) < 0) return null;
    this.pos++;
    return token;
  }

  /** Where the parser is, for messages: after which words (the last few). */
  private where(): string {
    if (this.pos === 0) return "at the start";
    const from = Math.max(0, this.pos - WORDS_SHOWN);
    return `after '${from > 0 ? "... " : ""}${this.tokens.slice(from, this.pos).join(" ")}'`;
  }

  private error(message: string, hint = ""): FilterSyntaxError {
    return new FilterSyntaxError(`${message} ${this.where()}${hint}`);
  }

  // A chain of "or" (or of "and") is one test over a list, not a closure per
  // operator: testing a frame then recurses only as deep as the nesting.
  private or(): HeaderTest {
    const tests = [this.and()];
    while (this.accept("or", "||") !== null) tests.push(this.and());
    if (tests.length === 1) return tests[0];
    return (h) => {
      for (let i = 0; i < tests.length; i++) if (tests[i](h)) return true;
      return false;
    };
  }

  private and(): HeaderTest {
    const tests = [this.unary()];
    while (this.accept("and", "&&") !== null) tests.push(this.unary());
    if (tests.length === 1) return tests[0];
    return (h) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i](h)) return false;
      return true;
    };
  }

  private unary(): HeaderTest {
    if (this.accept("not", "!") !== null) {
      const inner = this.nested(() => this.unary());
      return (h) => !inner(h);
    }
    if (this.accept("(") !== null) {
      return this.nested(() => {
        const inner = this.or();
        if (this.accept(")") === null)
          throw this.error(this.peek() === undefined ? "missing ')'" : `expected ')' but found '${this.peek()}'`);
        return inner;
      });
    }
    return this.primitive();
  }

  /** Parse one level deeper: "not" and parentheses nest at most MAX_DEPTH deep. */
  private nested(parse: () => HeaderTest): HeaderTest {
    if (++this.depth > MAX_DEPTH) throw this.error(`'not' and parentheses nested deeper than ${MAX_DEPTH}`);
    const test = parse();
    this.depth--;
    return test;
  }

  private primitive(): HeaderTest {
    const token = this.peek();
    if (token === undefined) throw this.error("expected an expression");
    if (token === ")" || token === "and" || token === "or" || token === "&&" || token === "||") {
      throw this.error(`expected an expression but found '${token}'`);
    }
    if (this.accept("proto") !== null) return this.ip_protocol();
    const proto = this.accept(...PROTOS) as Proto | null;
    if (proto === "ip" && this.accept("proto") !== null) return this.ip_protocol();
    const dir = this.direction();
    const kind = this.accept(...KINDS) as Kind | null;
    if (proto !== null && dir === null && kind === null) return protocol_test(proto);
    if (proto === null && dir === null && kind === null) return this.bare_value();
    const qualifiers: Qualifiers = { proto, dir: dir ?? "src or dst", kind: kind ?? "host" };
    check_combination(qualifiers);
    this.last = qualifiers;
    return this.value(qualifiers);
  }

  /** src, dst, "src or dst", "src and dst", or null. */
  private direction(): Dir | null {
    const first = this.accept("src", "dst");
    if (first === null) return null;
    // "src or dst port 7" is a direction; "src 10.0.2.2 or dst 10.0.2.3" is not.
    const joiner = this.peek();
    if (first === "src" && (joiner === "or" || joiner === "and") && this.tokens[this.pos + 1] === "dst") {
      this.pos += 2;
      return joiner === "or" ? "src or dst" : "src and dst";
    }
    return first as Dir;
  }

  /** A value with no qualifier: those of the last primitive that had some, or host for an address. */
  private bare_value(): HeaderTest {
    const token = this.peek()!;
    const looks_like_value = /^[\d./]+$/.test(token) || (this.last?.kind === "port" && port_by_name(token) !== undefined);
    if (!looks_like_value) throw this.error(`unknown word '${token}'`, `; the keywords are ${KEYWORDS}`);
    return this.value(this.last ?? { proto: null, dir: "src or dst", kind: "host" });
  }

  private value(q: Qualifiers): HeaderTest {
    const token = this.peek();
    const what = q.kind === "port" ? "a port number" : q.kind === "net" ? "a network (ADDRESS/PREFIX)" : "an IPv4 address";
    if (token === undefined || token === "(" || token === ")" || token === "!") {
      throw this.error(`expected ${what}${token === undefined ? "" : ` but found '${token}'`}`);
    }
    this.pos++;
    if (q.kind === "port") return port_test(q, parse_port(token));
    if (q.kind === "net") {
      const [address, prefix] = parse_net(token);
      if ((address & prefix_mask(prefix)) >>> 0 !== address)
        throw new FilterSyntaxError(
          `'${token}' has bits set beyond its prefix (the network is ${ipv4_to_string((address & prefix_mask(prefix)) >>> 0)}/${prefix})`,
        );
      return address_test(q, address, prefix_mask(prefix));
    }
    return address_test(q, parse_ipv4(token), 0xffffffff);
  }

  private ip_protocol(): HeaderTest {
    const token = this.peek();
    if (token === undefined) throw this.error("expected a protocol number or name (icmp, tcp, udp)");
    this.pos++;
    const number = IP_PROTOCOL_NUMBERS[token] ?? (/^\d+$/.test(token) ? Number(token) : NaN);
    if (!(number >= 0 && number <= 255))
      throw new FilterSyntaxError(`'${token}' is not an IP protocol (a number 0-255, or icmp, tcp, udp)`);
    return (h) => h.ip && h.ip_protocol === number;
  }
}

/** host and net are for IPv4 and ARP, port is for TCP and UDP. */
function check_combination({ proto, kind }: Qualifiers): void {
  if (proto === null) return;
  const port = kind === "port";
  if (port && proto !== "tcp" && proto !== "udp") throw new FilterSyntaxError(`'${proto} port': port applies to tcp and udp only`);
  if (!port && proto !== "ip" && proto !== "arp") throw new FilterSyntaxError(`'${proto} ${kind}': ${kind} applies to ip and arp only`);
}

function protocol_test(proto: Proto): HeaderTest {
  switch (proto) {
    case "ip":
      return (h) => h.ethertype === ETHERTYPE_IPV4;
    case "arp":
      return (h) => h.ethertype === ETHERTYPE_ARP;
    default: {
      const number = IP_PROTOCOL_NUMBERS[proto];
      return (h) => h.ip && h.ip_protocol === number;
    }
  }
}

/** Whether `src` and `dst` satisfy the direction, for `matches` of one address. */
function by_direction(dir: Dir, matches: (value: number) => boolean, src: number, dst: number): boolean {
  switch (dir) {
    case "src":
      return matches(src);
    case "dst":
      return matches(dst);
    case "src or dst":
      return matches(src) || matches(dst);
    case "src and dst":
      return matches(src) && matches(dst);
  }
}

function address_test(q: Qualifiers, address: number, mask: number): HeaderTest {
  const matches = (value: number) => (value & mask) >>> 0 === address;
  const ip = q.proto !== "arp";
  const arp = q.proto !== "ip";
  return (h) =>
    (ip && h.ip && by_direction(q.dir, matches, h.ip_src, h.ip_dst)) ||
    (arp && h.arp && by_direction(q.dir, matches, h.arp_spa, h.arp_tpa));
}

function port_test(q: Qualifiers, port: number): HeaderTest {
  const protocol = q.proto === null ? -1 : IP_PROTOCOL_NUMBERS[q.proto];
  const matches = (value: number) => value === port;
  return (h) => h.src_port >= 0 && (protocol < 0 || h.ip_protocol === protocol) && by_direction(q.dir, matches, h.src_port, h.dst_port);
}

function parse_ipv4(token: string): number {
  const hint = /[A-Za-z]/.test(token) ? " (napkin's tcpdump resolves no names)" : "";
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(token)) throw new FilterSyntaxError(`'${token}' is not an IPv4 address${hint}`);
  try {
    return ipv4(token);
  } catch {
    throw new FilterSyntaxError(`'${token}' is not an IPv4 address`);
  }
}

function parse_net(token: string): [number, number] {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(token);
  if (m === null || Number(m[2]) > 32) throw new FilterSyntaxError(`'${token}' is not a network: write ADDRESS/PREFIX, as 10.0.2.0/24`);
  return [parse_ipv4(m[1]), Number(m[2])];
}

function parse_port(token: string): number {
  const named = port_by_name(token);
  if (named !== undefined) return named;
  if (!/^\d+$/.test(token) || Number(token) > 65535)
    throw new FilterSyntaxError(`'${token}' is not a port (a number 0-65535, or a service such as telnet)`);
  return Number(token);
}

/** Parse an expression (the words after tcpdump's options); null if there is none, which matches everything. */
export function parse_filter(expression: string): HeaderTest | null {
  const tokens = tokenize(expression);
  return tokens.length === 0 ? null : new Parser(tokens).parse();
}

/** The tap filter for an expression: each frame's headers are decoded once, then tested. */
export function compile_filter(expression: string): TapFilter | null {
  const test = parse_filter(expression);
  if (test === null) return null;
  const headers = new PacketHeaders();
  return (buffer, offset, length) => test(headers.decode(buffer, offset, length));
}
