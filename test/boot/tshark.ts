// Reads a pcap file with Wireshark's tshark, for the boot tests of the
// captures napkin writes: every frame's protocols, whether tshark found it
// malformed, and which of its checksums it found bad (all of them checked).
import { spawnSync } from "child_process";

/** What tshark made of one frame. */
export interface TsharkFrame {
  /** The outer IPv4 source, "" for a frame without one. */
  ip_src: string;
  /** The protocol stack, e.g. "eth:ethertype:ip:tcp:telnet". */
  protocols: string;
  malformed: boolean;
  /** A checksum tshark verified and found wrong (IPv4, TCP, UDP or ICMP). */
  bad_checksum: boolean;
}

/** What tshark said of a file. */
export interface TsharkReport {
  frames: TsharkFrame[];
  /** What it printed on stderr, but for its notice about running as root. */
  warnings: string;
}

/** Whether tshark can be run here. */
export function tshark_available(): boolean {
  return spawnSync("tshark", ["-v"]).status === 0;
}

/** Read `file` with every checksum check on. */
export function tshark_read(file: string): TsharkReport {
  const fields = [
    "ip.src",
    "frame.protocols",
    "_ws.malformed",
    "ip.checksum.status",
    "tcp.checksum.status",
    "udp.checksum.status",
    "icmp.checksum.status",
  ];
  const checks = ["ip", "tcp", "udp"].flatMap((proto) => ["-o", `${proto}.check_checksum:TRUE`]);
  const run = spawnSync("tshark", ["-r", file, ...checks, "-T", "fields", "-E", "separator=/t", ...fields.flatMap((f) => ["-e", f])], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`tshark -r ${file} failed (${run.status}): ${run.stderr}`);
  const frames = run.stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [ip_src, protocols, malformed, ...statuses] = line.split("\t");
      // Status 0 is "Bad" (1 good, 2 unverified); an ICMP error also has the quoted header's.
      return {
        ip_src: ip_src.split(",")[0],
        protocols,
        malformed: malformed !== "",
        bad_checksum: statuses.some((s) => s.split(",").includes("0")),
      };
    });
  const warnings = run.stderr
    .split("\n")
    .filter((line) => line !== "" && !/^Running as user "root"/.test(line))
    .join("\n");
  return { frames, warnings };
}
