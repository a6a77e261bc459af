// One round: a spoofed SYN in a SYN flood (see syn_flood.ts) answered with a
// cookie. The SYNs come one strangers' interval apart, so the SYN screen
// (net/iface/syn_screen.ts) has a token for each: its look costs what it does
// in a flood, and every SYN is answered (syn-screened measures those it drops).
import { STRANGER_SYN_INTERVAL_US } from "../../../net/iface/syn_screen";
import { rounds, report, use_natives } from "./scenario";
import { syn_flood } from "./syn_flood";

use_natives();
let now = 1_000_000;
const { sockets, next } = syn_flood(now);
const cookies = sockets.tcp_ext.syncookies_sent;
for (let i = 0, n = rounds(); i < n; i++) next((now += STRANGER_SYN_INTERVAL_US));
report(`${sockets.tcp_ext.syncookies_sent - cookies} cookies`);
