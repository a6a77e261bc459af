// The NAPI state machine alone: each transition of NapiState, with no poll
// list, thread or device behind it.
import { strict as assert } from "assert";
import { NapiState, NAPI_STATE_DISABLE, NAPI_STATE_MISSED, NAPI_STATE_SCHED } from "../../kernel/net/napi_state";

describe("NAPI state machine", () => {
  it("the first schedule wins SCHED; a second one only marks MISSED", () => {
    const n = new NapiState();
    assert.equal(n.schedule_prep(), true);
    assert.equal(n.state, NAPI_STATE_SCHED);
    assert.equal(n.schedule_prep(), false);
    assert.equal(n.state, NAPI_STATE_SCHED | NAPI_STATE_MISSED);
  });

  it("completing clears SCHED, unless a schedule was missed: then it stays SCHED for one more poll", () => {
    const n = new NapiState();
    n.schedule_prep();
    n.schedule_prep(); // missed
    assert.equal(n.complete(), false, "must be polled again");
    assert.equal(n.state, NAPI_STATE_SCHED);
    assert.equal(n.complete(), true);
    assert.equal(n.state, 0);
  });

  it("disable refuses schedules, holds SCHED, forgets MISSED and says whether it was listed", () => {
    const idle = new NapiState();
    assert.equal(idle.disable(), false);
    assert.equal(idle.state, NAPI_STATE_SCHED | NAPI_STATE_DISABLE);
    assert.equal(idle.schedule_prep(), false);
    assert.equal(idle.state & NAPI_STATE_MISSED, 0, "a refused schedule is not remembered");

    const listed = new NapiState();
    listed.schedule_prep();
    listed.schedule_prep();
    assert.equal(listed.disable(), true);
    assert.equal(listed.state, NAPI_STATE_SCHED | NAPI_STATE_DISABLE);
  });

  it("enable makes a disabled instance idle and schedulable again", () => {
    const n = new NapiState();
    n.disable();
    n.enable();
    assert.equal(n.state, 0);
    assert.equal(n.schedule_prep(), true);
  });

  it("names its bits", () => {
    const n = new NapiState();
    assert.equal(n.state_text(), "IDLE");
    n.schedule_prep();
    n.schedule_prep();
    assert.equal(n.state_text(), "SCHED|MISSED");
    n.disable();
    assert.equal(n.state_text(), "SCHED|DISABLE");
  });
});
