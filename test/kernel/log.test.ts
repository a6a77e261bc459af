import { strict as assert } from "assert";
import { proc_create, proc_list, proc_read, proc_remove } from "../../kernel/fs/procfs";
import { dmesg_text, format_timestamp, KERN_DEBUG, KERN_INFO, log_records, pr_err, printk } from "../../kernel/log";
import { fresh_sim } from "./helpers";

describe("kernel: printk and dmesg", () => {
  it("stamps like Linux: [seconds.micros], seconds right-aligned", () => {
    assert.equal(format_timestamp(0), "[    0.000000]");
    assert.equal(format_timestamp(12_345_678), "[   12.345678]");
    assert.equal(format_timestamp(123_456_000_001), "[123456.000001]");
  });

  it("keeps records in a ring, and prints only urgent enough ones to the console", () => {
    const sim = fresh_sim();
    sim.advance(1_500_000);
    printk(KERN_INFO, "hello\nworld");
    printk(KERN_DEBUG, "quiet");
    pr_err("loud");
    assert.equal(dmesg_text(), "[    1.500000] hello\n[    1.500000] world\n[    1.500000] quiet\n[    1.500000] loud\n");
    assert.equal(sim.output, "[    1.500000] hello\r\n[    1.500000] world\r\n[    1.500000] loud\r\n");
  });

  it("bounds the ring: the oldest records go first", () => {
    fresh_sim();
    for (let i = 0; i < 3000; i++) printk(KERN_DEBUG, "line " + i);
    const records = log_records();
    assert.equal(records.length, 1024);
    assert.equal(records[0].text, "line 1976");
    assert.equal(records[1023].text, "line 2999");
  });
});

describe("kernel: procfs", () => {
  it("registers generated files with one line and reads them afresh", () => {
    let n = 0;
    proc_create("net/test_counter", () => `${++n}\n`);
    assert.equal(proc_read("/proc/net/test_counter"), "1\n");
    assert.equal(proc_read("net/test_counter"), "2\n");
    assert.ok(proc_list().includes("/proc/net/test_counter"));
    proc_remove("net/test_counter");
    assert.equal(proc_read("/proc/net/test_counter"), null);
  });
});
