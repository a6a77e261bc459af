// One round: a spoofed SYN in a SYN flood (see syn_flood.ts) dropped by the
// SYN screen (net/iface/syn_screen.ts), as most of a flood's SYNs are: the
// clock stands still, so the strangers' budget, spent at once, never grows.
import { rounds, report, use_natives } from "./scenario";
import { syn_flood } from "./syn_flood";

use_natives();
const NOW = 1_000_000;
const { sockets, next } = syn_flood(NOW);
const screened = sockets.tcp_ext.syn_screened;
for (let i = 0, n = rounds(); i < n; i++) next(NOW);
report(`${sockets.tcp_ext.syn_screened - screened} screened out`);
