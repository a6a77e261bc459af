// Shell echo latency over telnet: a connection from the host stack to the
// guest's telnetd (logging in if the guest asks), then `echo N` typed again
// and again, each timed from sending the line to the next prompt after N.
import { TcpSocket, TcpState, ephemeral_port } from "../../../net/socket/tcp";
import { ipv4 } from "../../../net/wire/address";
import { host_now_us } from "../../hostnet/host_stack";
import { TelnetClient, telnet_encode } from "../../web/telnet_client";
import { Guest } from "./guest";
import { GUEST_ADDRESS, TELNET_PORT } from "./guest_profile";
import { answer_position_query } from "./terminal";

const TIMEOUT_MS = 60_000;

export class TelnetProbe {
  private text = "";
  private readonly socket: TcpSocket;
  private readonly telnet = new TelnetClient();
  private readonly rx = new Uint8Array(4096);
  private waiter: (() => void) | null = null;

  private constructor(private readonly guest: Guest) {
    // A client as telnet is: no Nagle, and every segment acknowledged at once.
    this.socket = guest.host.sockets.add_tcp(new TcpSocket({ nagle: false, ack_delay_us: 0 }));
    this.socket.on_state_change = () => this.pump();
    guest.host.iface.tcp_connect(host_now_us(), this.socket, ipv4(GUEST_ADDRESS), TELNET_PORT, ephemeral_port());
    guest.host.poll();
  }

  /** Connected, logged in and at the prompt. */
  static async open(guest: Guest): Promise<TelnetProbe> {
    const probe = new TelnetProbe(guest);
    const { login, prompt } = guest.profile.telnet;
    if (login) {
      await probe.wait_for("login: ", 0);
      probe.send_line(login.user);
      await probe.wait_for("Password: ", 0);
      probe.send_line(login.password);
    }
    await probe.wait_for(prompt, 0);
    return probe;
  }

  /** Milliseconds from typing `echo N` to the prompt after its output; throws after `timeout_ms`. */
  async echo_ms(n: number, timeout_ms: number): Promise<number> {
    const start = this.text.length;
    const t0 = performance.now();
    this.send_line(`echo ${n}`);
    const printed = await this.wait_for(`\n${n}\r\n`, start, timeout_ms);
    await this.wait_for(this.guest.profile.telnet.prompt, printed, timeout_ms - (performance.now() - t0));
    return performance.now() - t0;
  }

  close(): void {
    this.socket.on_state_change = null;
    this.socket.abort();
    this.guest.host.poll();
    this.guest.host.sockets.remove_tcp(this.socket);
  }

  private send_line(line: string): void {
    this.socket.send_slice(telnet_encode(new TextEncoder().encode(line + "\r")));
    this.guest.host.poll();
  }

  private pump(): void {
    while (this.socket.can_recv()) {
      const n = this.socket.recv_slice(this.rx);
      const { text, reply } = this.telnet.receive(this.rx.subarray(0, n));
      this.text += new TextDecoder().decode(text);
      if (reply.length > 0) this.socket.send_slice(reply);
      const answer = answer_position_query(this.text);
      if (answer) this.socket.send_slice(new TextEncoder().encode(answer));
    }
    if (this.socket.state === TcpState.CloseWait || this.socket.state === TcpState.Closed) this.text += "\n[connection closed]";
    this.waiter?.();
  }

  private async wait_for(pattern: string, from: number, timeout_ms = TIMEOUT_MS): Promise<number> {
    const deadline = performance.now() + timeout_ms;
    for (;;) {
      const at = this.text.indexOf(pattern, from);
      if (at >= 0) return at + pattern.length;
      if (performance.now() > deadline || this.text.endsWith("[connection closed]")) {
        throw new Error(`telnet: no ${JSON.stringify(pattern)}; text ends with:\n${this.text.slice(-500)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
