import * as assert from "assert";
import { build_query, build_response, parse_answer, parse_question, RCODE_NOERROR, RCODE_NXDOMAIN } from "../../net/wire/dns";

describe("net: DNS messages", () => {
  it("a stub query reads back as the question it asks", () => {
    const query = build_query(0x1234, "Host.Example.")!;
    const q = parse_question(query, query.length)!;
    assert.deepStrictEqual([q.id, q.name, q.type, q.class], [0x1234, "host.example", 1, 1]);
  });

  it("reads the addresses of an answer, and NXDOMAIN", () => {
    const query = build_query(7, "gateway")!;
    const q = parse_question(query, query.length)!;
    const yes = build_response(query, q, RCODE_NOERROR, 0x0a000202);
    assert.deepStrictEqual(parse_answer(yes, yes.length, 7), { rcode: RCODE_NOERROR, addresses: [0x0a000202] });
    const no = build_response(query, q, RCODE_NXDOMAIN, null);
    assert.deepStrictEqual(parse_answer(no, no.length, 7), { rcode: RCODE_NXDOMAIN, addresses: [] });
  });

  it("ignores answers to other queries, and malformed ones", () => {
    const query = build_query(7, "gateway")!;
    const answer = build_response(query, parse_question(query, query.length)!, RCODE_NOERROR, 1);
    assert.strictEqual(parse_answer(answer, answer.length, 8), null);
    assert.strictEqual(parse_answer(query, query.length, 7), null, "a query is not an answer");
    for (let cut = 0; cut < answer.length; cut++) assert.strictEqual(parse_answer(answer, cut, 7), null);
  });

  it("refuses names it cannot encode", () => {
    assert.strictEqual(build_query(1, "a..b"), null);
    assert.strictEqual(build_query(1, "x".repeat(64)), null);
  });
});
