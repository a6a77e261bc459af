// What napkin's patches to QuickJS must leave as the language has it: run by
// test/engine/quickjs_patches.test.ts in a host build of the patched engine
// (tools/qjsbc.c --run), after a trip through bytecode, as the guest runs its
// kernel. Each check names the path it covers; the last line counts them.
let checks = 0;
function same(actual, expected, what) {
  checks++;
  if (!Object.is(actual, expected)) throw new Error(`${what}: ${String(actual)}, expected ${String(expected)}`);
}
function throws(f, kind, what) {
  checks++;
  try {
    f();
  } catch (e) {
    if (e instanceof kind) return;
    throw new Error(`${what}: threw ${e}, expected a ${kind.name}`);
  }
  throw new Error(`${what}: did not throw`);
}

// typed-array-fast-paths.patch: integer elements read and stored in the loop.
const u8 = new Uint8Array(4);
u8[0] = 256 + 7;
same(u8[0], 7, "a Uint8Array store wraps");
u8[1] = -1;
same(u8[1], 255, "a negative store into a Uint8Array");
u8[2] = 2.9;
same(u8[2], 2, "a fraction stored into a Uint8Array (the generic path)");
u8[3] = "5";
same(u8[3], 5, "a string stored into a Uint8Array (the generic path)");
same(u8[4], undefined, "a read past the end");
throws(
  () => {
    u8[4] = 1;
  },
  TypeError,
  "a store past the end (QuickJS 2021 throws in strict code, as it always did)",
);
same(u8.length, 4, "the store past the end added nothing");
same(u8[-1], undefined, "a negative index");
const clamped = new Uint8ClampedArray(1);
clamped[0] = 300;
same(clamped[0], 255, "a Uint8ClampedArray clamps (the generic path)");
const i8 = new Int8Array(1);
i8[0] = 255;
same(i8[0], -1, "an Int8Array reads signed");
const u16 = new Uint16Array(2);
u16[0] = 65536 + 5;
u16[1] = -2;
same(u16[0], 5, "a Uint16Array store wraps");
same(u16[1], 65534, "a negative store into a Uint16Array");
const i32 = new Int32Array(1);
i32[0] = -123456;
same(i32[0], -123456, "an Int32Array reads signed");
const u32 = new Uint32Array(1);
u32[0] = -1;
same(u32[0], 4294967295, "a Uint32Array reads unsigned (the generic path)");
const f64 = new Float64Array(1);
f64[0] = 3;
same(f64[0], 3, "an integer stored into a Float64Array (the generic path)");
const view = new Uint8Array(u16.buffer, 2, 2);
view[0] = 0x34;
same(u16[1], 65534 - 0xfe + 0x34, "a view with an offset writes where it starts");

// property-fast-paths.patch: plain fields found by the loop, the rest by the generic code.
class Base {
  constructor() {
    this.own = 1;
  }
  method() {
    return this.own;
  }
  get computed() {
    return this.own * 10;
  }
  set stored(v) {
    this.own = v;
  }
}
class Derived extends Base {
  method() {
    return super.method() + 100;
  }
}
const d = new Derived();
same(d.own, 1, "an own field");
same(d.method(), 101, "a method two prototypes up, with this");
same(d.computed, 10, "a getter on a prototype is called");
d.stored = 7;
same(d.own, 7, "a setter on a prototype is called, not shadowed by a new own field");
same(Object.prototype.hasOwnProperty.call(d, "stored"), false, "the setter left no own field");
d.own = 8;
same(d.own, 8, "an own field written in place");
const fixed = {};
Object.defineProperty(fixed, "x", { value: 1, writable: false });
throws(
  () => {
    fixed.x = 2;
  },
  TypeError,
  "a read-only field refuses a write (modules are strict)",
);
same(fixed.x, 1, "the read-only field kept its value");
const frozen = Object.freeze({ y: 1 });
throws(
  () => {
    frozen.y = 2;
  },
  TypeError,
  "a frozen object refuses a write",
);
const proto_ro = Object.create(fixed);
throws(
  () => {
    proto_ro.x = 3;
  },
  TypeError,
  "a read-only field on the prototype refuses a new own one",
);
let trapped = 0;
const proxy = new Proxy(
  { z: 1 },
  {
    get(target, key) {
      trapped++;
      return target[key];
    },
  },
);
same(proxy.z, 1, "a proxy's get trap answers");
same(trapped, 1, "the trap ran");
const behind_proxy = Object.create(proxy);
same(behind_proxy.z, 1, "a field behind a proxy in the prototype chain");
same(trapped, 2, "the trap ran for it");
const with_accessor = { a: 1 };
Object.defineProperty(with_accessor, "a", { get: () => 42 });
same(with_accessor.a, 42, "a field turned into an accessor");
const gone = { b: 1 };
delete gone.b;
same(gone.b, undefined, "a deleted field");
same(Object.create(null).c, undefined, "no prototype at all");

// .length through the same lookup: arrays, plain fields, getters, strings.
const arr = [1, 2, 3];
same(arr.length, 3, "an array's length");
arr.push(4);
same(arr.length, 4, "an array's length after a push");
arr.length = 1;
same(arr.length, 1, "an array's length written");
same(arr[1], undefined, "shortening an array drops its elements");
same({ length: 9 }.length, 9, "an object's own length field");
same(u16.length, 2, "a typed array's length (a getter)");
same("héllo".length, 5, "a string's length");
same(function (p, q) {}.length, 2, "a function's length");
same(Object.create({ length: 6 }).length, 6, "a length inherited as a plain field");

// native-calls.patch: a native given its declared arguments is called from
// the bytecode directly; one given fewer takes the generic path.
same(Math.imul(3, 5), 15, "a native function (generic) with all its arguments");
same(Math.max(1, 9, 4), 9, "a native with a magic number (generic_magic)");
same(Math.max(), -Infinity, "a native given fewer arguments than it declares");
same(String.fromCharCode(104, 105), "hi", "a native called as a method of its constructor");
same("abc".charCodeAt(1), 98, "a native method of a string (this is the string)");
const m = new Map([["k", 1]]);
same(m.get("k"), 1, "a native method of a Map");
const { imul } = Math;
same(imul(2, 3), 6, "a native called as a plain function (OP_call)");
throws(() => Map.prototype.get.call({}, "k"), TypeError, "a native that throws: the error reaches the caller");
throws(() => Symbol.prototype.toString.call(1), TypeError, "a native's error from a plain call");
function recurse_through_native(n) {
  return [n].map((x) => (x > 0 ? recurse_through_native(x - 1) : 0))[0];
}
same(recurse_through_native(50), 0, "JS called back from a native called from JS");
throws(
  () => {
    const deep = () => [0].map(deep);
    deep();
  },
  InternalError,
  "unbounded recursion through a native is still a stack overflow (QuickJS throws an InternalError)",
);
const stack = (() => {
  try {
    Map.prototype.get.call({}, "k");
  } catch (e) {
    return e.stack;
  }
})();
same(typeof stack === "string" && stack.length > 0, true, "an error thrown in a native has a stack");

// interpreter-registers.patch: the handlers that need their opcode read it
// back from the bytecode. Each line below takes such a handler, most of them
// down their slow path, where the opcode picks the operation.
same([-1, 0, 1, 2, 3, 4, 5, 6, 7].join(), "-1,0,1,2,3,4,5,6,7", "push_minus1 to push_7");
same("6" - "2", 4, "a subtraction of strings");
same("6" * "2", 12, "a multiplication of strings");
same("8" / "2", 4, "a division of strings");
same("7" % "4", 3, "a remainder of strings");
same(2 ** "3", 8, "an exponentiation with a string");
same(-"3", -3, "a negated string");
same(+"3", 3, "a string made a number");
let counted = "5";
same(counted++, 5, "a post-increment of a string gives the number");
same(counted, 6, "and increments it");
counted = "5";
same(counted--, 5, "a post-decrement of a string gives the number");
same(counted, 4, "and decrements it");
counted = "5";
same(++counted, 6, "a pre-increment of a string");
same(--counted, 5, "a pre-decrement");
same("12" & "10", 8, "and of strings");
same("12" | "1", 13, "or of strings");
same("12" ^ "10", 6, "xor of strings");
same("1" << "3", 8, "a left shift of strings");
same("-16" >> "2", -4, "an arithmetic right shift of strings");
same("-16" >>> "28", 15, "a logical right shift of strings");
same("10" < "9", true, "less than, of strings");
same("10" <= "9", true, "less or equal, of strings");
same("b" > "a", true, "greater than, of strings");
same("a" >= "b", false, "greater or equal, of strings");
function arity(...args) {
  return args.length;
}
same(arity() + arity(1) + arity(1, 2) + arity(1, 2, 3) + arity(1, 2, 3, 4), 10, "call0 to call3 and call");
function countdown(n) {
  if (n === 0) return "done";
  return countdown(n - 1);
}
same(countdown(100), "done", "a call in tail position");
const down = {
  m(n) {
    if (n === 0) return "done";
    return this.m(n - 1);
  },
};
same(down.m(100), "done", "a method call in tail position");
same(typeof not_declared_anywhere, "undefined", "typeof an undeclared global (get_var_undef)");
same(Math.max(1, 2), 2, "a global read (get_var)");
class Computed {
  ["m" + 1]() {
    return 1;
  }
  get ["g" + 1]() {
    return 2;
  }
}
same(new Computed().m1() + new Computed().g1, 3, "methods and getters with computed names");
same({ ["k" + 1]: class {} }.k1.name, "k1", "a class named by a computed key");

// function-shapes.patch and property-fast-paths.patch: a method's name
// written into its closure in place, and new fields and methods added to an
// ordinary object's shape without JS_DefineProperty.
class Methods {
  f() {
    return 1;
  }
  f() {
    return 2;
  }
  get g() {
    return 3;
  }
  static s() {}
}
const methods = new Methods();
same(methods.f(), 2, "a method defined twice keeps the second (the general path)");
same(Methods.prototype.f.name, "f", "a method's name");
same(Object.getOwnPropertyDescriptor(Methods.prototype, "g").get.name, "get g", "a getter's name (the general path)");
same(Methods.s.name, "s", "a static method's name");
const f_name = Object.getOwnPropertyDescriptor(Methods.prototype.f, "name");
same(`${f_name.writable} ${f_name.enumerable} ${f_name.configurable}`, "false false true", "a method's name property: configurable only");
const f_desc = Object.getOwnPropertyDescriptor(Methods.prototype, "f");
same(
  `${f_desc.writable} ${f_desc.enumerable} ${f_desc.configurable}`,
  "true false true",
  "a method: writable, configurable, not enumerable",
);
same(Object.keys(Methods.prototype).length, 0, "methods are not enumerable");
const literal = { a: 1, b: 2, a: 3, [1 + 1]: 4 };
same(Object.keys(literal).join(), "2,a,b", "an object literal's keys, a duplicate once, in order");
same(literal.a, 3, "a duplicate key in a literal keeps the last value (the general path)");
const a_desc = Object.getOwnPropertyDescriptor(literal, "b");
same(
  `${a_desc.writable} ${a_desc.enumerable} ${a_desc.configurable}`,
  "true true true",
  "a literal's field: writable, enumerable, configurable",
);
class Fields {
  x = 1;
  y = this.x + 1;
}
same(new Fields().y, 2, "class fields defined in order");
class FrozenBase {
  constructor() {
    return Object.freeze({});
  }
}
class OnFrozen extends FrozenBase {
  z = 1;
}
throws(() => new OnFrozen(), TypeError, "a field on a non-extensible object (the general path)");
class ArrayWithField extends Array {
  w = 5;
}
same(new ArrayWithField().w, 5, "a field on an array (the general path)");

// property-fast-paths.patch: obj.field = value adding a new field, as a
// constructor's fields are added, unless a prototype has a say in it.
const set_log = [];
class WithSetter {
  set s(v) {
    set_log.push(v);
  }
}
const with_setter = new WithSetter();
with_setter.s = 7;
same(set_log.join() + " " + Object.keys(with_setter).length, "7 0", "a setter on the prototype is called, no field added");
const read_only_proto = {};
Object.defineProperty(read_only_proto, "ro", { value: 1, writable: false });
const under_read_only = Object.create(read_only_proto);
throws(
  () => {
    under_read_only.ro = 2;
  },
  TypeError,
  "a read-only field on the prototype refuses the store (strict code)",
);
const under_plain = Object.create({ shadowed: 1 });
under_plain.shadowed = 2;
same(`${under_plain.shadowed} ${Object.getPrototypeOf(under_plain).shadowed}`, "2 1", "a prototype's plain field is shadowed");
const closed = Object.preventExtensions({});
throws(
  () => {
    closed.added = 1;
  },
  TypeError,
  "a non-extensible object refuses a new field (strict code)",
);
const bare = Object.create(null);
bare.added = 3;
same(bare.added, 3, "a new field on an object without a prototype");
const proxy_stores = [];
const under_proxy = Object.create(
  new Proxy(
    {},
    {
      set(target, key, value) {
        proxy_stores.push(`${String(key)}=${value}`);
        return true;
      },
    },
  ),
);
under_proxy.via = 4;
same(proxy_stores.join(), "via=4", "a proxy on the prototype chain sees the store");
class Fielded {
  constructor() {
    this.first = 1;
    this.second = 2;
  }
}
const fielded = new Fielded();
const second_desc = Object.getOwnPropertyDescriptor(fielded, "second");
same(
  `${Object.keys(fielded).join()} ${second_desc.writable} ${second_desc.enumerable} ${second_desc.configurable}`,
  "first,second true true true",
  "fields added by a constructor: in order, writable, enumerable, configurable",
);

// function-shapes.patch: native functions and a promise's resolving
// functions take a plain function's final shape, length and name in place.
let resolving = [];
new Promise((resolve, reject) => {
  resolving = [resolve, reject];
});
const [resolve_fn, reject_fn] = resolving;
same(`${resolve_fn.length} "${resolve_fn.name}" ${reject_fn.length}`, '1 "" 1', "a resolving function's length and name");
same(Object.getOwnPropertyNames(resolve_fn).join(), "length,name", "a resolving function's own properties, in order");
const length_desc = Object.getOwnPropertyDescriptor(resolve_fn, "length");
same(`${length_desc.writable} ${length_desc.enumerable} ${length_desc.configurable}`, "false false true", "length: configurable only");
resolve_fn.extra = 1;
same(`${resolve_fn.extra} ${reject_fn.extra}`, "1 undefined", "a property added to one leaves the shared shape alone");
same(`${[].indexOf.length} ${[].indexOf.name} ${Math.hypot.name}`, "1 indexOf hypot", "native functions' length and name");

// bytecode-reader.patch: the atom hash, four characters a step, finds the
// same atoms and Map keys whatever the length, built at run time or not.
const by_length = { a: 1, abcd: 4, abcde: 5, abcdefgh: 8, abcdefghi: 9 };
for (const n of [1, 4, 5, 8, 9]) same(by_length["abcdefghi".slice(0, n)], n, `a key of ${n} characters built at run time`);
const keys = new Map();
for (let n = 0; n < 12; n++) keys.set("k".repeat(n), n);
for (let n = 0; n < 12; n++) same(keys.get("k".repeat(n)), n, `a Map key of ${n} characters`);
const wide = { "\u0100\u0101\u0102\u0103\u0104": "wide" };
same(wide[String.fromCharCode(0x100, 0x101, 0x102, 0x103, 0x104)], "wide", "a key of 16-bit characters");

// bytecode-reader.patch: each function's line table, read into its own
// block: a backtrace gives its caller's line, one more on the next line.
function line_of_caller() {
  const frame = new Error("where").stack.split("\n")[1];
  return Number(/quickjs_patches\.js:(\d+)/.exec(frame)[1]);
}
const a_line = line_of_caller();
const the_next_line = line_of_caller();
same(the_next_line - a_line, 1, "a backtrace's line numbers");

// property-caches.patch: a local's, an argument's or a closure variable's
// field read in one instruction, the object left where it is; the generic
// lookup (a getter, a primitive, a missing object) holds it meanwhile.
function local_field(o) {
  const local = o;
  return local.a;
}
function argument_field(o) {
  return o.a;
}
const closed_over = { a: 5 };
function closure_field() {
  return closed_over.a;
}
same(local_field({ a: 1 }), 1, "a local's field");
same(argument_field({ a: 2 }), 2, "an argument's field");
same(closure_field(), 5, "a closure variable's field");
same(local_field(Object.create({ a: 3 })), 3, "a local's field from its prototype");
same(
  argument_field({
    get a() {
      return 4;
    },
  }),
  4,
  "an argument's getter",
);
same(local_field("text"), undefined, "a string local's missing field");
same(argument_field(7), undefined, "a number argument's missing field");
throws(() => local_field(undefined), TypeError, "undefined has no fields");
function reassigned_by_its_getter() {
  let held = {
    get a() {
      held = null; // the last reference to this object goes while the getter runs
      return 6;
    },
  };
  const got = held.a;
  return [got, held];
}
const [got, after] = reassigned_by_its_getter();
same(got, 6, "a getter that drops its own object");
same(after, null, "the variable it assigned");
try {
  local_field(null);
} catch (e) {
  same(/'a'/.test(String(e)), true, "the error names the field");
}

// property-caches.patch: each field instruction remembers where it found
// the field for the receiver's shape. Whatever changes that shape in place,
// or a prototype's, the instruction must find the field anew.
function read_a(o) {
  return o.a;
}
function write_a(o, v) {
  o.a = v;
}
function call_m(o) {
  return o.m();
}
const lone = { a: 1, b: 2 };
same(read_a(lone), 1, "a cached own field");
same(read_a(lone), 1, "the same, from the cache");
delete lone.a;
same(read_a(lone), undefined, "a deleted field");
lone.a = 7;
same(read_a(lone), 7, "the field added again");
Object.defineProperty(lone, "a", { get: () => 8, configurable: true });
same(read_a(lone), 8, "a field turned into a getter");
Object.defineProperty(lone, "a", { value: 9, writable: false, configurable: true });
same(read_a(lone), 9, "and back into a value");
throws(() => write_a(lone, 10), TypeError, "a read-only field is not written");
same(read_a(lone), 9, "the read-only field kept its value");
const to_freeze = { a: 1 };
write_a(to_freeze, 2);
same(read_a(to_freeze), 2, "a cached write");
Object.freeze(to_freeze);
throws(() => write_a(to_freeze, 3), TypeError, "a frozen field is not written");
same(read_a(to_freeze), 2, "the frozen field kept its value");
const base = { m: () => "base" };
const child = Object.create(base);
same(call_m(child), "base", "a method from the prototype");
same(call_m(child), "base", "the same, from the cache");
base.m = () => "base again";
same(call_m(child), "base again", "the prototype's method replaced");
child.m = () => "own";
same(call_m(child), "own", "an own method in front of the prototype's");
Object.setPrototypeOf(child, { m: () => "new prototype" });
delete child.m;
same(call_m(child), "new prototype", "a prototype swapped");
class Animal {
  sound() {
    return "...";
  }
}
class Dog extends Animal {}
const dog = new Dog();
same(call_m({ m: () => dog.sound() }), "...", "a method two prototypes up");
same(dog.sound(), "...", "the same, from the cache");
Dog.prototype.sound = () => "woof";
same(dog.sound(), "woof", "a method added on the way up");
Animal.prototype.sound = () => "changed";
delete Dog.prototype.sound;
same(dog.sound(), "changed", "the one further up, changed");
const shapes = [{ a: 1 }, { b: 0, a: 2 }, { c: 0, d: 0, a: 3 }, Object.create({ a: 4 })];
let total = 0;
for (let round = 0; round < 3; round++) for (const o of shapes) total += read_a(o);
same(total, 30, "one instruction, many shapes");
const list = [1, 2];
same(argument_field.call(null, { a: list }).length, 2, "an array's length");
list.push(3);
function length_of(o) {
  return o.length;
}
same(length_of(list), 3, "an array's length, cached");
list.push(4);
same(length_of(list), 4, "an array's length after it grew");
same(length_of(new Uint8Array(5)), 5, "a typed array's length, a getter");
const many = {};
for (let i = 0; i < 40; i++) many["f" + i] = i;
same(read_a(Object.assign(many, { a: 40 })), 40, "a field after forty");
for (let i = 0; i < 40; i++) delete many["f" + i]; // compacts the shape's properties
same(read_a(many), 40, "the field after its shape was compacted");

// property-caches.patch: a strict function that uses 'this' keeps it in a
// variable from its first instruction, as it was passed (not boxed).
function this_of() {
  const keep = () => this;
  return keep();
}
same(this_of.call(5), 5, "a number 'this', not boxed");
same(this_of.call(undefined), undefined, "an undefined 'this'");
const holder = {
  x: 11,
  read() {
    return [this_of.call(this), this.x];
  },
};
same(holder.read()[0], holder, "a method's 'this'");
same(holder.read()[1], 11, "a field of a method's 'this'");

// lookahead.patch: a comparison followed by if_false8 takes the
// branch itself; one whose result is kept still leaves it on the stack.
function classify(a, b) {
  if (a < b) return "lt";
  if (a > b) return "gt";
  if (a === b) return "eq";
  if (a !== b) return "ne";
  return "none";
}
same(classify(1, 2), "lt", "ints, less");
same(classify(3, 2), "gt", "ints, greater");
same(classify(2, 2), "eq", "ints, equal");
same(classify("a", "b"), "lt", "strings, through the generic comparison");
same(classify(NaN, 1), "ne", "NaN is neither less, greater nor equal");
const same_object = {};
same(classify(same_object, same_object), "eq", "one object");
same(classify({}, {}), "ne", "two objects");
throws(
  () =>
    classify(
      {
        valueOf() {
          throw new RangeError("no");
        },
      },
      1,
    ),
  RangeError,
  "a comparison that throws",
);
let thirds = 0;
for (let i = 0; i < 300; i++) if (i % 3 === 0) thirds++;
same(thirds, 100, "a loop's condition and a test in it");
const kept = 1 < 2;
same(kept, true, "a comparison whose result is kept");

// lookahead.patch: b[o + n], the sum an index for the get_array_el that
// follows, reads an integer array's element in the add; anything else goes
// on as before.
function at_sum(array, o, n) {
  return array[o + n];
}
const four_bytes = Uint8Array.of(10, 20, 30, 250);
same(at_sum(four_bytes, 1, 2), 250, "a byte array's element at a sum");
same(at_sum(Uint16Array.of(1, 65535), 0, 1), 65535, "a 16-bit array's");
same(at_sum(Int32Array.of(-5, 7), 1, -1), -5, "a 32-bit array's, at a sum of a negative");
same(at_sum(four_bytes, 3, 1), undefined, "past the end");
same(at_sum(four_bytes, 0, -1), undefined, "before the start");
same(at_sum(Float64Array.of(0.5, 1.5), 0, 1), 1.5, "a float array's, the generic way");
same(at_sum([4, 5, 6], 1, 1), 6, "a plain array's");
same(at_sum({ 3: "three" }, 1, 2), "three", "an object's field named by a sum");
same(at_sum("text", 1, 2), "t", "a string's character");
same(at_sum(four_bytes, 2 ** 30, 2 ** 30), undefined, "a sum that overflows into a double");

// frame-loops.patch: a frame's variables are set up and freed two at a
// time; an odd or even count, and objects among them, all come and go.
function frame_of(count) {
  const a = { n: 1 };
  if (count === 1) return a.n;
  const b = { n: 2 };
  if (count === 2) return a.n + b.n;
  const c = { n: 3 };
  return a.n + b.n + c.n;
}
same(frame_of(1) + frame_of(2) + frame_of(3), 10, "frames of one, two and three objects");
function closes_over(count) {
  const values = [];
  for (let i = 0; i < count; i++) values.push(() => i);
  return values.map((f) => f()).join();
}
same(closes_over(3), "0,1,2", "variables closed over, then freed");

print(`ok ${checks}`);
