// DNS messages (RFC 1035 §4.1), only as far as napkin needs: a stub
// resolver's query for an A record and the addresses in its answer, and a
// tiny authoritative server's side (read the one question of a standard
// query, answer it with an A record, with no record, or with NXDOMAIN).
/** UDP port of DNS servers. */
export const DNS_PORT = 53;
/** Record type A: an IPv4 host address (RFC 1035 §3.2.2). */
export const TYPE_A = 1;
/** Record class IN: the Internet. */
export const CLASS_IN = 1;
/** Response code 0: no error (with no answer record: the name exists but has no such record). */
export const RCODE_NOERROR = 0;
/** Response code 1: format error, the server could not read the query. */
export const RCODE_FORMERR = 1;
/** Response code 3: the name does not exist. */
export const RCODE_NXDOMAIN = 3;
/** Response code 4: the server does not support this kind of query (e.g. an opcode other than QUERY). */
export const RCODE_NOTIMP = 4;

const HEADER_LEN = 12;
const FLAG_QR = 0x8000;
const FLAG_AA = 0x0400;
const FLAG_RD = 0x0100;
const OPCODE_MASK = 0x7800;
const ANSWER_TTL = 60;

/** The one question of a received query, as parse_question() reads it. */
export interface DnsQuestion {
  id: number;
  flags: number;
  /** Lower case, without the final dot: "host". */
  name: string;
  type: number;
  class: number;
  /** Where the question section ends. */
  end: number;
}

/** Walks a name at msg[i] (labels, or a compression pointer, §4.1.4); returns where it ends, or -1. */
function skip_name(msg: Uint8Array, i: number, length: number): number {
  for (;;) {
    if (i >= length) return -1;
    const len = msg[i];
    if (len === 0) return i + 1;
    if ((len & 0xc0) === 0xc0) return i + 2 <= length ? i + 2 : -1;
    if (len > 63) return -1;
    i += 1 + len;
  }
}

/** A standard query with recursion desired for the A record of `name`, or null if the name cannot be encoded. */
export function build_query(id: number, name: string): Uint8Array | null {
  const labels = name.replace(/\.$/, "").split(".");
  if (name.length > 253 || labels.some((l) => l.length === 0 || l.length > 63 || !/^[\x21-\x7e]+$/.test(l))) return null;
  const out = new Uint8Array(HEADER_LEN + labels.reduce((n, l) => n + 1 + l.length, 0) + 5);
  out[0] = id >> 8;
  out[1] = id & 0xff;
  out[2] = FLAG_RD >> 8;
  out[5] = 1; // QDCOUNT
  let i = HEADER_LEN;
  for (const label of labels) {
    out[i++] = label.length;
    for (let k = 0; k < label.length; k++) out[i++] = label.charCodeAt(k);
  }
  out.set([0, 0, TYPE_A, 0, CLASS_IN], i);
  return out;
}

/** What parse_answer() takes from a response: its RCODE and any A records. */
export interface DnsAnswer {
  rcode: number;
  /** The A records, as uint32 addresses. */
  addresses: number[];
}

/** The answer to our query `id`, or null if `msg` is not one (wrong id, not a response, malformed). */
export function parse_answer(msg: Uint8Array, length: number, id: number): DnsAnswer | null {
  if (length < HEADER_LEN || ((msg[0] << 8) | msg[1]) !== id) return null;
  const flags = (msg[2] << 8) | msg[3];
  if (!(flags & FLAG_QR)) return null;
  const questions = (msg[4] << 8) | msg[5];
  const answers = (msg[6] << 8) | msg[7];
  let i = HEADER_LEN;
  for (let q = 0; q < questions; q++) {
    i = skip_name(msg, i, length);
    if (i < 0 || i + 4 > length) return null;
    i += 4;
  }
  const addresses: number[] = [];
  for (let a = 0; a < answers; a++) {
    i = skip_name(msg, i, length);
    if (i < 0 || i + 10 > length) return null;
    const type = (msg[i] << 8) | msg[i + 1];
    const klass = (msg[i + 2] << 8) | msg[i + 3];
    const rdlength = (msg[i + 8] << 8) | msg[i + 9];
    i += 10;
    if (i + rdlength > length) return null;
    if (type === TYPE_A && klass === CLASS_IN && rdlength === 4) {
      addresses.push(((msg[i] << 24) | (msg[i + 1] << 16) | (msg[i + 2] << 8) | msg[i + 3]) >>> 0);
    }
    i += rdlength;
  }
  return { rcode: flags & 0xf, addresses };
}

/** The single question of a query, or null if it is not one we can read. */
export function parse_question(msg: Uint8Array, length: number): DnsQuestion | null {
  if (length < HEADER_LEN + 5) return null;
  const flags = (msg[2] << 8) | msg[3];
  if (flags & FLAG_QR || ((msg[4] << 8) | msg[5]) !== 1) return null;
  let name = "";
  let i = HEADER_LEN;
  // §4.1.2: a sequence of labels, each a length byte then that many bytes, ending with 0.
  for (;;) {
    if (i >= length) return null;
    const len = msg[i++];
    if (len === 0) break;
    if (len > 63 || i + len > length) return null; // a compression pointer has no place in a question
    if (name !== "") name += ".";
    for (let k = 0; k < len; k++) name += String.fromCharCode(msg[i + k]).toLowerCase();
    i += len;
  }
  if (i + 4 > length) return null;
  return { id: (msg[0] << 8) | msg[1], flags, name, type: (msg[i] << 8) | msg[i + 1], class: (msg[i + 2] << 8) | msg[i + 3], end: i + 4 };
}

/**
 * The response to `query`: its question copied back, and an A record for
 * `address` when it is not null and the question asks for one.
 */
export function build_response(query: Uint8Array, q: DnsQuestion, rcode: number, address: number | null): Uint8Array {
  const answer = address !== null && q.type === TYPE_A && q.class === CLASS_IN;
  const out = new Uint8Array(q.end + (answer ? 16 : 0));
  out.set(query.subarray(0, q.end));
  const flags = FLAG_QR | FLAG_AA | (q.flags & (OPCODE_MASK | FLAG_RD)) | rcode;
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  out[6] = 0;
  out[7] = answer ? 1 : 0; // ANCOUNT
  out.fill(0, 8, HEADER_LEN); // NSCOUNT, ARCOUNT
  if (answer) {
    // NAME: a pointer (§4.1.4) to the question's name at offset 12.
    out.set([0xc0, HEADER_LEN, 0, TYPE_A, 0, CLASS_IN, 0, 0, ANSWER_TTL >> 8, ANSWER_TTL & 0xff, 0, 4], q.end);
    const a = q.end + 12;
    out[a] = address >>> 24;
    out[a + 1] = (address >>> 16) & 0xff;
    out[a + 2] = (address >>> 8) & 0xff;
    out[a + 3] = address & 0xff;
  }
  return out;
}

/** A header-only error response for a message we could not read as a question. */
export function build_error(query: Uint8Array, length: number, rcode: number): Uint8Array | null {
  if (length < HEADER_LEN || query[2] & 0x80) return null; // too short, or itself a response
  const out = new Uint8Array(HEADER_LEN);
  out[0] = query[0];
  out[1] = query[1];
  const flags = FLAG_QR | (((query[2] << 8) | query[3]) & (OPCODE_MASK | FLAG_RD)) | rcode;
  out[2] = flags >> 8;
  out[3] = flags & 0xff;
  return out;
}
