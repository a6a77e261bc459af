// lo: every frame sent comes straight back in, through the device's own NAPI.
import { BacklogDevice } from "./backlog_device";

const LOOPBACK_MTU = 16384 + 14; // a 16 KiB IP MTU plus the Ethernet header it still carries

/** lo: a device whose transmits are its own receives. */
export class Loopback extends BacklogDevice {
  constructor() {
    super(
      "lo",
      0,
      {
        max_transmission_unit: LOOPBACK_MTU,
        max_burst_size: 16,
        checksum_rx_offload: true, // it never left memory
        checksum_tx_offload: false,
      },
      { loopback: true },
    );
  }

  protected receiver(): BacklogDevice {
    return this;
  }
}
