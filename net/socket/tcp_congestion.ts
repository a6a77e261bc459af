// NewReno congestion control: slow start and congestion avoidance (RFC 5681),
// fast retransmit / fast recovery with partial ACKs (RFC 6582).
import { seq_ge } from "./tcp_seq";

const MAX_CWND = 0x3fffffff;

/** The congestion window of one connection, in bytes: slow start, congestion avoidance, fast recovery. */
export class NewReno {
  cwnd = 0;
  ssthresh = MAX_CWND;
  in_recovery = false;
  private dupacks = 0;
  private recover = 0; // snd_max when recovery started

  /** Initial window for a connection with this MSS (RFC 5681 §3.1). */
  reset(mss: number): void {
    this.cwnd = Math.min(4 * mss, Math.max(2 * mss, 4380));
    this.ssthresh = MAX_CWND;
    this.in_recovery = false;
    this.dupacks = 0;
  }

  /** A duplicate ACK. True when the segment at snd_una should be retransmitted now. */
  on_duplicate_ack(mss: number, flight_size: number, snd_max: number): boolean {
    this.dupacks++;
    if (this.dupacks === 3 && !this.in_recovery) {
      this.ssthresh = Math.max(flight_size >> 1, 2 * mss);
      this.cwnd = this.ssthresh + 3 * mss;
      this.recover = snd_max;
      this.in_recovery = true;
      return true;
    }
    if (this.dupacks > 3 && this.in_recovery) this.cwnd += mss; // each dup ACK means a segment left the network
    return false;
  }

  /**
   * `acked` new bytes were acknowledged, up to `snd_una`. True on a partial
   * ACK during recovery: the next hole is lost too and should be retransmitted.
   */
  on_new_ack(acked: number, mss: number, flight_size: number, snd_una: number): boolean {
    this.dupacks = 0;
    let retransmit = false;
    if (this.in_recovery) {
      if (seq_ge(snd_una, this.recover)) {
        this.in_recovery = false;
        this.cwnd = Math.min(this.ssthresh, flight_size + mss);
      } else {
        this.cwnd = Math.max(mss, this.cwnd - acked + mss); // deflate
        retransmit = true;
      }
    } else if (this.cwnd < this.ssthresh) {
      this.cwnd += Math.min(acked, mss); // slow start
    } else {
      this.cwnd += Math.max(1, Math.floor((mss * mss) / this.cwnd)); // congestion avoidance
    }
    if (this.cwnd > MAX_CWND) this.cwnd = MAX_CWND;
    return retransmit;
  }

  /** The retransmission timer fired: back to one segment (RFC 5681 §3.1). */
  on_timeout(mss: number, flight_size: number): void {
    this.ssthresh = Math.max(flight_size >> 1, 2 * mss);
    this.cwnd = mss;
    this.in_recovery = false;
    this.dupacks = 0;
  }
}
