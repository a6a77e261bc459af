// veth: a pair of Ethernet devices joined back to back. A frame sent on one
// end lands in the other's backlog and schedules the other's NAPI.
import { BacklogDevice } from "./backlog_device";

const VETH_MTU = 1514;
let next_veth_mac = 0x02_00_00_00_00_01; // locally administered

/** One end of a veth pair. */
export class Veth extends BacklogDevice {
  /** The other end; null once it is gone. */
  peer: Veth | null = null;

  private constructor(name: string) {
    super(name, next_veth_mac++, {
      max_transmission_unit: VETH_MTU,
      max_burst_size: 16,
      checksum_rx_offload: false,
      checksum_tx_offload: false,
    });
  }

  /** ip link add NAME type veth peer name PEER */
  static create_pair(name: string, peer_name: string): [Veth, Veth] {
    const a = new Veth(name);
    const b = new Veth(peer_name);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  protected receiver(): BacklogDevice | null {
    return this.peer;
  }
}
