// who: the users logged in over telnet; "*" marks the session asking.
import { telnet_sessions } from "../../net/telnet_session";
import { register_command } from "../command";

/** Time since boot as HH:MM:SS: napkin has no wall clock. */
function since_boot(us: number): string {
  const s = Math.floor(us / 1e6);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

register_command({
  name: "who",
  usage: "who",
  description: "list logged-in telnet sessions: user, pts, peer, login time (since boot)",
  run(ctx) {
    ctx.println("USER     TTY      FROM                   LOGIN@   NETNS");
    for (const session of telnet_sessions) {
      if (session.user === null) continue;
      const mine = session.tty === ctx.tty ? " *" : "";
      ctx.println(
        session.user.padEnd(9) + session.tty.name.padEnd(9) + session.peer.padEnd(23) + since_boot(session.login_us) +
          " " + session.ns.name + mine,
      );
    }
  },
});
