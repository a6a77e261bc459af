// Why a frame was not processed. Parsers return one of these instead of
// throwing; the interface counts every dropped frame under its reason.

/** Why a received frame was dropped (None: it was processed); indexes InterfaceStats.rx_dropped. */
export enum Drop {
  None = 0,
  // Malformed on the wire.
  Truncated,
  BadChecksum,
  BadHeaderLength,
  BadVersion,
  BadLength,
  BadOption,
  Malformed,
  // Well formed, but not for us or not supported.
  UnknownEthertype,
  NotForUs,
  UnsupportedProtocol,
  UnsupportedArp,
  FragmentDropped,
  NoSocket,
  SocketRejected,
  /** A SYN from a MAC no neighbour has, dropped while a SYN flood is screened (net/iface/syn_screen.ts). */
  SynScreened,
  Count, // number of reasons; keep last
}

/** The snake_case name of each Drop reason, indexed by Drop, for stats output. */
export const drop_names: string[] = [
  "none",
  "truncated",
  "bad_checksum",
  "bad_header_length",
  "bad_version",
  "bad_length",
  "bad_option",
  "malformed",
  "unknown_ethertype",
  "not_for_us",
  "unsupported_protocol",
  "unsupported_arp",
  "fragment_dropped",
  "no_socket",
  "socket_rejected",
  "syn_screened",
];
