// Addresses as plain numbers so the receive path never allocates:
// IPv4 addresses are uint32 (network order value, e.g. 10.0.0.1 = 0x0a000001),
// MAC addresses are 48-bit integers (exact in a double: hi16 * 2^32 + lo32).

/** ff:ff:ff:ff:ff:ff as a 48-bit number: the Ethernet broadcast address. */
export const MAC_BROADCAST = 0xffffffffffff;
/** 255.255.255.255, the limited broadcast address (never forwarded past the local link). */
export const IPV4_BROADCAST = 0xffffffff;
/** 0.0.0.0: "no address yet" as a source (before DHCP), "any local address" when binding. */
export const IPV4_UNSPECIFIED = 0;

/** Parse dotted-quad text ("10.0.0.1") into a uint32 address; throws on malformed input. */
export function ipv4(text: string): number {
  const parts = text.split(".");
  if (parts.length !== 4) throw new Error(`bad IPv4 address: ${text}`);
  let value = 0;
  for (const part of parts) {
    const byte = Number(part);
    if (!(byte >= 0 && byte <= 255) || part === "") throw new Error(`bad IPv4 address: ${text}`);
    value = value * 256 + byte;
  }
  return value;
}

/** "10.0.2.15/24" as an address and a prefix length (32 when none is given); throws on anything else. */
export function ipv4_cidr(text: string): { address: number; prefix_len: number } {
  const slash = text.indexOf("/");
  const prefix = slash < 0 ? "32" : text.slice(slash + 1);
  const prefix_len = Number(prefix);
  if (!/^\d+$/.test(prefix) || prefix_len > 32) throw new Error(`bad prefix length in ${text}`);
  return { address: ipv4(slash < 0 ? text : text.slice(0, slash)), prefix_len };
}

/** Format a uint32 address as dotted-quad text. */
export function ipv4_to_string(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** Netmask for a prefix length, as uint32 (prefix 0 gives 0). */
export function prefix_mask(prefix_len: number): number {
  return prefix_len === 0 ? 0 : (0xffffffff << (32 - prefix_len)) >>> 0;
}

/** Parse colon-separated hex ("52:54:00:12:34:56") into a 48-bit number; throws on anything else. */
export function mac(text: string): number {
  const parts = text.split(":");
  if (parts.length !== 6 || !parts.every((part) => /^[0-9a-fA-F]{1,2}$/.test(part))) throw new Error(`bad MAC address: ${text}`);
  let value = 0;
  for (const part of parts) value = value * 256 + parseInt(part, 16);
  return value;
}

/** Format a 48-bit MAC number as lower-case, colon-separated hex. */
export function mac_to_string(address: number): string {
  let out = "";
  for (let shift = 40; shift >= 0; shift -= 8) {
    const byte = Math.floor(address / 2 ** shift) & 255;
    out += (out ? ":" : "") + byte.toString(16).padStart(2, "0");
  }
  return out;
}
