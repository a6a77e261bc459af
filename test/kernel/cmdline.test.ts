import { strict as assert } from "assert";
import { cmdline_masked, cmdline_param, cmdline_seconds, cmdline_uint, parse_cmdline } from "../../kernel/lib/cmdline";
import { static_config } from "../../kernel/services/net_config";
import { telnetd_options } from "../../kernel/services/telnetd/options";
import { dmesg_text } from "../../kernel/log";
import { ipv4 } from "../../net/wire/address";
import { fresh_sim } from "./helpers";

describe("the kernel command line", () => {
  it("is split into name=value words, bare words and repeated names as Linux does", () => {
    const params = parse_cmdline("  ip=10.0.2.15/24 quiet  a=b=c tcp_fin_timeout=5 tcp_fin_timeout=7 ");
    assert.deepEqual(
      [...params],
      [
        ["ip", "10.0.2.15/24"],
        ["quiet", ""],
        ["a", "b=c"],
        ["tcp_fin_timeout", "7"],
      ],
    );
    assert.deepEqual([...parse_cmdline("")], []);
  });

  it("answers for the line it is asked about, whichever line was asked about before", () => {
    assert.equal(cmdline_param("profile=boot", "profile"), "boot");
    assert.equal(cmdline_param("ip=10.0.2.15/24", "profile"), undefined);
    assert.equal(cmdline_param("profile=boot", "profile"), "boot");
  });

  it("reads numbers only when the whole value is one", () => {
    assert.equal(cmdline_uint("telnet_max_sessions=12", "telnet_max_sessions", 32), 12);
    for (const bad of ["telnet_max_sessions=", "telnet_max_sessions=12x", "telnet_max_sessions=-1", "telnet_max_sessions=1.5"]) {
      assert.equal(cmdline_uint(bad, "telnet_max_sessions", 32), 32, bad);
    }
    assert.equal(cmdline_seconds("dhcp_timeout=0.5", "dhcp_timeout", 3), 0.5);
    assert.equal(cmdline_seconds("dhcp_timeout=0", "dhcp_timeout", 3), 0);
    assert.equal(cmdline_seconds("dhcp_timeout=soon", "dhcp_timeout", 3), 3);
  });

  it("shows no password in the log", () => {
    assert.equal(
      cmdline_masked("ip=10.0.2.15/24 telnet_password=hunter2 x.password=a=b"),
      "ip=10.0.2.15/24 telnet_password=*** x.password=***",
    );
    assert.equal(cmdline_masked("ip=10.0.2.15/24 gw=10.0.2.2"), "ip=10.0.2.15/24 gw=10.0.2.2");
  });

  it("gives the services their settings, and ignores what is malformed", () => {
    fresh_sim();
    assert.deepEqual(static_config("quiet ip=10.0.2.15/24 gw=10.0.2.2"), {
      address: ipv4("10.0.2.15"),
      prefix_len: 24,
      gateway: ipv4("10.0.2.2"),
    });
    assert.deepEqual(static_config("ip=10.0.2.15/8"), { address: ipv4("10.0.2.15"), prefix_len: 8, gateway: null });
    assert.deepEqual(
      static_config("ip=10.0.2.15"),
      { address: ipv4("10.0.2.15"), prefix_len: 32, gateway: null },
      "as ip addr add takes it",
    );
    for (const bad of ["ip=10.0.2.15/33", "ip=10.0.2/24", "ip=10.0.2.15/2x", "ip=10.0.2.15/24/8"])
      assert.equal(static_config(bad), null, bad);
    assert.equal(static_config("gw=10.0.2.2"), null);
    assert.deepEqual(
      static_config("ip=10.0.2.15/24 gw=10.0.2"),
      { address: ipv4("10.0.2.15"), prefix_len: 24, gateway: null },
      "a bad gateway loses only itself",
    );
    assert.match(dmesg_text(), /net: ignoring ip= on the command line: bad prefix length in 10\.0\.2\.15\/33\n/);
    assert.match(dmesg_text(), /net: ignoring ip= on the command line: bad IPv4 address: 10\.0\.2\n/);
    assert.match(dmesg_text(), /net: ignoring gw= on the command line: bad IPv4 address: 10\.0\.2\n/);
    const options = telnetd_options("telnet_password=s3cret telnet_max_startups=0 telnet_login_timeout=5");
    assert.deepEqual(options, { password: "s3cret", max_sessions: 32, max_startups: 1, login_timeout_s: 5 });
  });
});
