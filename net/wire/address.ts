// Addresses as plain numbers so the receive path never allocates:
// IPv4 addresses are uint32 (network order value, e.g. 10.0.0.1 = 0x0a000001),
// MAC addresses are 48-bit integers (exact in a double: hi16 * 2^32 + lo32).

export const MAC_BROADCAST = 0xffffffffffff;
export const IPV4_BROADCAST = 0xffffffff;
export const IPV4_UNSPECIFIED = 0;

export function ipv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`bad IPv4 address: ${text}`);
  let value = 0;
  for (const part of parts) {
    const byte = Number(part);
    if (!(byte >= 0 && byte <= 255) || part === '') throw new Error(`bad IPv4 address: ${text}`);
    value = value * 256 + byte;
  }
  return value;
}

export function ipv4_to_string(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

/** Netmask for a prefix length, as uint32 (prefix 0 gives 0). */
export function prefix_mask(prefix_len: number): number {
  return prefix_len === 0 ? 0 : (0xffffffff << (32 - prefix_len)) >>> 0;
}

export function mac(text: string): number {
  const parts = text.split(':');
  if (parts.length !== 6) throw new Error(`bad MAC address: ${text}`);
  let value = 0;
  for (const part of parts) value = value * 256 + parseInt(part, 16);
  return value;
}

export function mac_to_string(address: number): string {
  let out = '';
  for (let shift = 40; shift >= 0; shift -= 8) {
    const byte = Math.floor(address / 2 ** shift) & 255;
    out += (out ? ':' : '') + byte.toString(16).padStart(2, '0');
  }
  return out;
}
