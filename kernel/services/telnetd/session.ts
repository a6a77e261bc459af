// One telnet connection: a pseudo-terminal (pts/N) whose input comes from the
// socket through the Telnet filter and whose output goes back through it.
// Two kernel threads serve it:
//   telnetd/pts/N  moves bytes between socket and tty, and answers negotiation;
//   sh/pts/N       logs the user in and runs the shell on the tty.
// The socket wakes the session's own wait queue, so a busy namespace does not
// wake every session. When the peer goes away the tty hangs up (the running
// command is interrupted and the shell returns); when the shell ends (exit)
// the output is flushed and the connection closed. Either way the session
// leaves the list, and its socket and threads are freed. Until it has logged
// in, the session holds one of the guard's pre-login slots (startups), for at
// most the login timeout.
import { hal } from "../../hal/current";
import { KERN_INFO, KERN_NOTICE } from "../../log";
import { kthread_run } from "../../sched/sched";
import { shell_main } from "../shell/shell";
import { del_timer, mod_timer, timer_setup } from "../../time/timer";
import { Tty } from "../../tty/tty";
import type { TcpStream } from "../../../net/socket/api";
import { TcpSocket, TcpState } from "../../../net/socket/tcp";
import { ipv4_to_string } from "../../../net/wire/address";
import type { NetNamespace } from "../../net/netns";
import { setns } from "../../net/namespaces";
import { utmp, type UtmpEntry } from "../utmp";
import type { TelnetdGuard } from "./guard";
import { login, LOGIN_USER } from "./login";
import type { Startup } from "./startup_slots";
import { TelnetReceiver, telnet_encode } from "./protocol";

/** Output a session may hold for a peer that does not read; beyond it output is dropped, as a tty's would be. */
const OUTPUT_MAX_BYTES = 256 * 1024;
/** How long a closed session waits for the peer to finish the TCP close before resetting it. */
const CLOSE_TIMEOUT_US = 10_000_000;
const IO_CHUNK = 2048;

/** One telnet connection, its terminal and its two threads. */
export class TelnetSession implements UtmpEntry, Startup {
  readonly tty: Tty;
  readonly peer: string;
  /** The peer's IPv4 address. */
  readonly source: number;
  /** Set once logged in. */
  user: string | null = null;
  login_time_ms = 0;

  /**
   * The connection. The io thread sleeps on the stream's own waiter, which
   * the socket wakes, and which the session also wakes when output is queued
   * or the shell ends.
   */
  private readonly socket: TcpSocket;
  private readonly receiver = new TelnetReceiver();
  private readonly out: Uint8Array[] = [];
  private out_offset = 0;
  private out_bytes = 0;
  private shell_done = false;

  constructor(
    readonly ns: NetNamespace,
    private readonly stream: TcpStream,
    readonly pts: number,
    private readonly guard: TelnetdGuard,
  ) {
    const s = (this.socket = stream.socket);
    this.source = s.remote_addr;
    this.peer = `${ipv4_to_string(s.remote_addr)}:${s.remote_port}`;
    this.tty = new Tty(`pts/${pts}`, (text) => this.queue(telnet_encode(text)));
    this.tty.on_logout = () => this.logout();
  }

  /** The namespace's name, for `who`. */
  get netns_name(): string {
    return this.ns.name;
  }

  start(): void {
    utmp.push(this);
    this.guard.log(KERN_INFO, `telnetd: ${this.tty.name} connected from ${this.peer}`);
    const io = kthread_run(`telnetd/${this.tty.name}`, () => this.io_main());
    const sh = kthread_run(`sh/${this.tty.name}`, () => this.shell());
    setns(io, this.ns);
    setns(sh, this.ns);
    sh.on_exit = () => {
      this.shell_done = true;
      this.stream.waiter.wake();
    };
  }

  /** The pre-login slot went to another connection: say so and hang up. */
  evict(): void {
    this.guard.log(KERN_NOTICE, `telnetd: ${this.tty.name} from ${this.peer} closed before login: its slot went to another connection`);
    this.tty.write("\ntelnetd: too many connections are waiting to log in; this one is closed.\n");
    this.tty.hangup();
  }

  private async shell(): Promise<void> {
    const guard = this.guard;
    const timeout_s = guard.options.login_timeout_s;
    // As login(1)'s LOGIN_TIMEOUT: a connection that never logs in must not keep its slot.
    const timeout = timer_setup(() => {
      guard.timed_out++;
      guard.log(KERN_INFO, `telnetd: ${this.tty.name} from ${this.peer}: login timed out`);
      this.tty.write(`\nLogin timed out after ${timeout_s} seconds.\n`);
      this.tty.hangup();
    });
    mod_timer(timeout, hal.now_us() + timeout_s * 1e6);
    const ok = await login(this.tty, guard, { source: this.source, name: this.peer });
    del_timer(timeout);
    guard.startups.release(this);
    if (!ok) return;
    const max = guard.options.max_sessions;
    if (guard.logged_in() >= max) {
      guard.refused_sessions_full++;
      this.tty.write(`telnetd: all ${max} sessions are in use (telnet_max_sessions=${max}); try again later.\n`);
      return;
    }
    this.user = LOGIN_USER;
    this.login_time_ms = Date.now();
    guard.log(KERN_INFO, `telnetd: root logged in on ${this.tty.name} from ${this.peer}`);
    this.tty.write(`Welcome to napkin. This is ${this.tty.name}; 'exit' ends the session.\n`);
    await shell_main(this.tty);
  }

  /** `exit`: the shell returns after the command; no interrupt, so nothing prints ^C. */
  private logout(): void {
    this.tty.hung_up = true;
  }

  private queue(bytes: Uint8Array): void {
    if (this.out_bytes + bytes.length > OUTPUT_MAX_BYTES) return;
    this.out.push(bytes);
    this.out_bytes += bytes.length;
    this.stream.waiter.wake();
  }

  private async io_main(): Promise<void> {
    const s = this.socket;
    const rx = new Uint8Array(IO_CHUNK);
    const data = new Uint8Array(IO_CHUNK);
    this.receiver.start();
    this.queue_reply();
    for (;;) {
      await this.stream.wait(
        () =>
          s.can_recv() ||
          !s.may_recv() ||
          (this.out_bytes > 0 && s.can_send()) ||
          !s.may_send() ||
          (this.shell_done && this.out_bytes === 0),
      );
      if (s.can_recv()) {
        const n = this.stream.read_now(rx);
        const m = this.receiver.receive(rx, n, data);
        if (m > 0) this.tty.receive(data, m);
        this.queue_reply();
      }
      if (!s.may_recv() || !s.may_send()) break; // the peer closed or reset
      this.flush();
      if (this.shell_done && this.out_bytes === 0) break;
    }
    await this.close();
  }

  private queue_reply(): void {
    const reply = this.receiver.reply;
    if (reply.length === 0) return;
    this.queue(Uint8Array.from(reply));
    reply.length = 0;
  }

  /** Move queued output into the socket's send buffer, as much as fits. */
  private flush(): void {
    const s = this.socket;
    let sent = false;
    while (this.out.length > 0) {
      const chunk = this.out[0];
      const n = s.send_slice(chunk, this.out_offset);
      if (n > 0) sent = true;
      this.out_offset += n;
      this.out_bytes -= n;
      if (this.out_offset < chunk.length) break; // send buffer full
      this.out.shift();
      this.out_offset = 0;
    }
    if (sent) this.ns.request_poll(this.socket.remote_addr);
  }

  /** Hang up the shell, wait for it to end, leave the list and close the connection. */
  private async close(): Promise<void> {
    const s = this.socket;
    this.tty.hangup();
    await this.stream.wait(() => this.shell_done);
    this.out.length = 0;
    this.out_bytes = 0;
    utmp.splice(utmp.indexOf(this), 1);
    this.guard.log(KERN_INFO, `telnetd: ${this.tty.name} from ${this.peer} closed`);
    s.reap_when_closed = true;
    s.close(); // FIN (or, if the peer already closed, our half of it)
    this.ns.request_poll(this.socket.remote_addr);
    const closed = () => s.state === TcpState.Closed || s.state === TcpState.TimeWait;
    if (!(await this.stream.wait(closed, CLOSE_TIMEOUT_US))) {
      s.abort();
      this.ns.request_poll(this.socket.remote_addr);
    }
  }
}

/** The lowest pts number no session uses, as devpts allocates them. */
export function free_pts_number(): number {
  let n = 0;
  while (utmp.some((session) => session.tty.name === `pts/${n}`)) n++;
  return n;
}
