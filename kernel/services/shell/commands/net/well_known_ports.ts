// The few service names tcpdump shows for ports (without -n) and takes in a
// filter ("port telnet"): the services a napkin machine and its host speak.
const PORTS: readonly [number, string][] = [
  [7, "echo"],
  [9, "discard"],
  [22, "ssh"],
  [23, "telnet"],
  [53, "domain"],
  [67, "bootps"],
  [68, "bootpc"],
  [80, "http"],
];

const NAME_OF = new Map(PORTS);
const PORT_OF = new Map(PORTS.map(([port, name]) => [name, port]));

/** The service name of `port`, or the number as text. */
export function port_name(port: number): string {
  return NAME_OF.get(port) ?? String(port);
}

/** The port a service name stands for, or undefined. */
export function port_by_name(name: string): number | undefined {
  return PORT_OF.get(name);
}
