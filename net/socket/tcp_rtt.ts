// Retransmission timeout per RFC 6298: smoothed RTT and variance from one
// timed segment at a time, never a retransmitted one (Karn's rule), with
// exponential backoff on timeout.
import { seq_lt } from "./tcp_seq";

const RTO_INITIAL_US = 1_000_000;
const RTO_MIN_US = 200_000; // Linux's floor; RFC 6298 suggests 1 s
const RTO_MAX_US = 60_000_000;
const CLOCK_GRANULARITY_US = 1000;

/** Computes the retransmission timeout from RTT samples (RFC 6298), with Karn's rule and backoff. */
export class RttEstimator {
  /** Current retransmission timeout, whole µs. */
  rto = RTO_INITIAL_US;
  private srtt = -1; // -1: no sample yet
  private rttvar = 0;
  private timed_end = 0; // sequence number that, once acked, completes the measurement
  private timed_at = -1; // -1: nothing being timed

  reset(): void {
    this.rto = RTO_INITIAL_US;
    this.srtt = -1;
    this.timed_at = -1;
  }

  /** New data [.., end_seq) went out for the first time; time it unless something is already timed. */
  on_send(now_us: number, end_seq: number): void {
    if (this.timed_at >= 0) return;
    this.timed_end = end_seq;
    this.timed_at = now_us;
  }

  /** Karn: once anything is retransmitted, the running measurement is ambiguous. */
  on_retransmit(): void {
    this.timed_at = -1;
  }

  /** An ACK arrived: take a sample if it covers the timed segment. */
  on_ack(now_us: number, ack: number): void {
    if (this.timed_at < 0 || seq_lt(ack, this.timed_end)) return;
    const rtt = Math.max(1, now_us - this.timed_at);
    this.timed_at = -1;
    if (this.srtt < 0) {
      this.srtt = rtt;
      this.rttvar = rtt / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rtt);
      this.srtt = 0.875 * this.srtt + 0.125 * rtt;
    }
    // Whole microseconds keep deadlines integral (cheaper to carry around in V8).
    const rto = this.srtt + Math.max(CLOCK_GRANULARITY_US, 4 * this.rttvar);
    this.rto = Math.round(Math.min(RTO_MAX_US, Math.max(RTO_MIN_US, rto)));
  }

  /** The retransmission timer fired: double the timeout (RFC 6298 §5.5). */
  backoff(): void {
    this.rto = Math.min(RTO_MAX_US, this.rto * 2);
    this.timed_at = -1;
  }
}
