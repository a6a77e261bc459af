// `make run`'s command line: what it accepts, and that it will not open the
// guest's login to the network while root's password is the default.
import { strict as assert } from "assert";
import { exposure_error, is_loopback } from "../../tools/hostnet/exposure";
import { DEFAULT_MAX_CONNECTIONS } from "../../tools/hostnet/port_forward";
import { parse_args, UsageError } from "../../tools/run";

describe("make run: arguments", () => {
  it("forwards 127.0.0.1:2323 to telnet by default, with the default connection cap", () => {
    const args = parse_args([]);
    assert.deepEqual(args.forwards, [{ host_port: 2323, guest_port: 23, bind: "127.0.0.1" }]);
    assert.equal(args.max_connections, DEFAULT_MAX_CONNECTIONS);
    assert.equal(parse_args(["--hostfwd-max", "5"]).max_connections, 5);
    assert.throws(() => parse_args(["--hostfwd-max", "0"]), UsageError);
  });

  it("refuses a forward on 0.0.0.0 while the password is the default, and says how to set one", () => {
    for (const argv of [
      ["--hostfwd", "tcp:0.0.0.0:2323-:23"],
      ["--hostfwd", "tcp:192.168.1.5:8023-:23", "--cmdline", "ip=10.0.2.15/24"],
      ["--hostfwd", "tcp:0.0.0.0:2323-:23", "--cmdline", "telnet_password=napkin"],
      ["--hostfwd", "tcp:127.0.0.1:2323-:23", "--hostfwd", "tcp:0.0.0.0:7007-:7"],
    ]) {
      assert.throws(
        () => parse_args(argv),
        (error: Error) => {
          assert.ok(error instanceof UsageError, String(error));
          assert.match(error.message, /default password 'napkin'/);
          assert.match(error.message, /telnet_password=/);
          return true;
        },
        argv.join(" "),
      );
    }
  });

  it("allows any address once telnet_password= is set, and loopback always", () => {
    const set = parse_args(["--hostfwd", "tcp:0.0.0.0:2323-:23", "--cmdline", "dhcp_timeout=0 telnet_password=hunter2"]);
    assert.equal(set.forwards[0].bind, "0.0.0.0");
    assert.equal(parse_args(["--hostfwd", "tcp:127.0.0.2:2323-:23"]).forwards[0].bind, "127.0.0.2");
    assert.equal(parse_args(["--hostfwd", "tcp::2323-:23"]).forwards[0].bind, "127.0.0.1");
  });

  it("tells loopback from the rest", () => {
    assert.ok(is_loopback("127.0.0.1") && is_loopback("127.255.0.9"));
    assert.ok(!is_loopback("0.0.0.0") && !is_loopback("10.0.0.1") && !is_loopback("1127.0.0.1"));
    assert.equal(exposure_error([{ host_port: 1, guest_port: 23, bind: "0.0.0.0" }], "telnet_password=x"), null);
  });
});
