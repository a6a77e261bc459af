// What a network driver (NE2000, virtio-net, loopback, veth) implements.
//
// This is smoltcp's RxToken/TxToken idea without closures, so nothing is
// allocated per packet: the driver hands out a reused Frame that points into
// its own buffers.

/** A window into a driver-owned buffer: bytes [offset, offset + length) of `buffer`. */
export interface Frame {
  buffer: Uint8Array;
  offset: number;
  length: number;
}

/** What a driver can do, which the interface adapts to: frame size, burst size, checksum offload. */
export interface DeviceCapabilities {
  /** Largest Ethernet frame the device sends or receives, header included (1514 for classic Ethernet). */
  max_transmission_unit: number;
  /** Most frames the interface should send in one poll_egress call. */
  max_burst_size: number;
  /** The device verified IPv4/TCP/UDP/ICMP checksums of received frames; skip the software check. */
  checksum_rx_offload: boolean;
  /** The device fills in checksums of transmitted frames; leave them zero. */
  checksum_tx_offload: boolean;
  /**
   * Merge the in-order TCP segments of a flow received in one poll before
   * the stack sees them (GRO, net/iface/gro.ts; Linux's NETIF_F_GRO, on for
   * its NICs). Off when absent.
   */
  gro?: boolean;
}

/** A network driver as the interface sees it: receive frames, and transmit in two steps (reserve, then commit). */
export interface Device {
  readonly capabilities: DeviceCapabilities;
  /**
   * The next received frame, or null when none is waiting. The frame stays
   * valid until the next call to receive().
   */
  receive(now_us: number): Frame | null;
  /**
   * A writable frame of exactly `length` bytes in the transmit buffer, or
   * null when the device is full. Nothing is sent until transmit_commit().
   */
  transmit(now_us: number, length: number): Frame | null;
  /**
   * Hand the frame returned by the last transmit() to the hardware. `more`
   * says another frame follows at once (Linux's xmit_more): the driver may
   * leave telling the hardware until the last one, or until transmit() finds
   * it full, as virtio-net does with its queue notification.
   */
  transmit_commit(now_us: number, more?: boolean): void;
}
