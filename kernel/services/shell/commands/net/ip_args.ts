// Argument helpers shared by the ip objects (link, addr, route, neigh, netns).
import type { NetDevice } from "../../../../net/netdevice";
import { ipv4, ipv4_cidr } from "../../../../../net/wire/address";
import { find_device } from "../../../../net/namespaces";
import type { NetNamespace } from "../../../../net/netns";

/** iproute2 prints its errors plainly; the shell prefixes "napkin: ip: ". */
export function ip_error(text: string): never {
  throw new Error(text);
}

export function parse_cidr(text: string): { address: number; prefix_len: number } {
  try {
    return ipv4_cidr(text);
  } catch {
    return ip_error(`Error: any valid prefix is expected rather than "${text}".`);
  }
}

export function parse_address(text: string): number {
  try {
    return ipv4(text);
  } catch {
    return ip_error(`Error: inet address is expected rather than "${text}".`);
  }
}

/** The value after keyword `key` (e.g. "dev eth0"), or undefined. */
export function option(args: string[], key: string): string | undefined {
  const i = args.indexOf(key);
  return i >= 0 ? args[i + 1] : undefined;
}

export function device_named(ns: NetNamespace, name: string): NetDevice {
  return find_device(ns, name) ?? ip_error(`Cannot find device "${name}"`);
}

/** "dev NAME", or the bare NAME iproute2 also accepts after the verb. */
export function device_arg(ns: NetNamespace, args: string[]): NetDevice {
  const name = option(args, "dev") ?? args[1];
  if (name === undefined) ip_error('Not enough information: "dev" argument is required.');
  return device_named(ns, name);
}
