// who: the users logged in over telnet, from utmp; "*" marks the session asking.
import { utmp } from "../../utmp";
import { register_command } from "../command";

/** "YYYY-MM-DD HH:MM" in UTC, as who(1) prints a login time. */
function login_time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

register_command({
  name: "who",
  usage: "who",
  description: "list logged-in telnet sessions: user, pts, peer, login time (UTC)",
  run(ctx) {
    ctx.println("USER     TTY      FROM                   LOGIN@           NETNS");
    for (const session of utmp) {
      if (session.user === null) continue;
      const mine = session.tty === ctx.tty ? " *" : "";
      ctx.println(
        session.user.padEnd(9) +
          session.tty.name.padEnd(9) +
          session.peer.padEnd(23) +
          login_time(session.login_time_ms) +
          " " +
          session.netns_name +
          mine,
      );
    }
  },
});
