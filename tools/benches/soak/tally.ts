// What the soak's traffic did, counted as it goes, and the losses it found.

/** The soak's counters; `lost` holds every byte or answer that went missing or came back wrong. */
export class Tally {
  telnet_sessions = 0;
  telnet_commands = 0;
  namespace_cycles = 0;
  pings_sent = 0;
  pings_answered = 0;
  guest_pings_sent = 0;
  guest_pings_answered = 0;
  /** host -> guest -> host through the echo service, compared on return. */
  host_echo_bytes = 0;
  /** host -> guest discard, read by the guest to EOF. */
  host_discard_bytes = 0;
  /** guest -> station -> guest, compared by the guest's tcpecho. */
  guest_echo_bytes = 0;
  /** guest -> station discard, as the guest's tcpsend reported it (the station compares each byte). */
  guest_discard_bytes = 0;
  /** Bytes or answers that were lost or wrong: a soak that finds one has failed. */
  readonly lost: string[] = [];
  /** Things that went wrong without losing data (a timeout, a refused login), with when. */
  readonly errors: string[] = [];

  error(what: string): void {
    this.errors.push(what);
  }
}
