// Parsing what the guests print: /proc counters, netns_poll lateness, and
// the terminal query busybox sends after its prompt.
import { strict as assert } from "assert";
import { parse_counters } from "../../tools/benches/versus/proc_counters";
import { parse_poll_lateness } from "../../tools/benches/versus/load_latency";
import { answer_position_query } from "../../tools/benches/versus/terminal";

const LINUX = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0:  123456    1406    0    7    0     0          0         0    98000    1406    0    0    0     0       0          0
           CPU0
  0:       1453    XT-PIC      timer
  4:        495    XT-PIC      ttyS0
 10:       2812    XT-PIC      virtio0
NMI:          0   Non-maskable interrupts
00000578 00000000 0000001a 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 31979 0 0 0 12 0 0 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 5 0 0 0 0 0 0 0 0
`;

const NAPKIN = `Inter-|   Receive                            |  Transmit
 face |bytes    packets errs drop fifo frame|bytes    packets errs drop fifo colls
    lo: 0 0 0 0 0 0 0 0 0 0 0 0
  eth0: 90000 1500 0 0 0 0 8000 100 0 0 0 0
           CPU0
  4:          5   XT-PIC  serial
 11:        321   XT-PIC  eth0
ERR:          0
00000000 00000000 00000079 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
cat: /proc/net/snmp: No such file or directory
`;

describe("bench: what the guests print", () => {
  it("reads Linux's: eth0 packets and drops, the NIC's interrupts, time_squeeze in hex, Udp not UdpLite", () => {
    assert.deepEqual(parse_counters(LINUX), {
      rx_packets: 1406,
      rx_dropped: 7,
      nic_irqs: 2812,
      time_squeeze: 26,
      udp_in_datagrams: 31979,
      udp_rcvbuf_errors: 12,
    });
  });

  it("reads napkin's, which has no /proc/net/snmp yet", () => {
    assert.deepEqual(parse_counters(NAPKIN), {
      rx_packets: 1500,
      rx_dropped: 0,
      nic_irqs: 321,
      time_squeeze: 121,
      udp_in_datagrams: null,
      udp_rcvbuf_errors: null,
    });
  });

  it("reads init_net's lateness from /proc/net/netns_poll", () => {
    const text =
      "namespace        wakeups  idle  late_p50_us  late_p99_us  late_max_us\ninit_net              60     3         6468         7000         9000\n";
    assert.deepEqual(parse_poll_lateness(text), { wakeups: 60, p50_us: 6468, p99_us: 7000, max_us: 9000 });
  });

  it("answers a cursor position query with the column after the prompt", () => {
    assert.equal(answer_position_query("output\r\nlinux# \x1b[6n"), "\x1b[1;8R");
    assert.equal(answer_position_query("napkin# "), null);
  });
});
