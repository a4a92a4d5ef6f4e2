// Entry of @weft/node: the loader napi-rs generates (index.js), plus what napi-rs
// cannot declare itself. Its declarations are the generated index.d.ts.
const binding = require("./index.js");

// napi-rs names methods with strings only: the `[Symbol.dispose]` each class
// declares becomes the real well-known symbol here.
for (const value of Object.values(binding)) {
  const proto = typeof value === "function" ? value.prototype : undefined;
  if (proto && typeof proto.free === "function" && Symbol.dispose) {
    Object.defineProperty(proto, Symbol.dispose, {
      value: proto.free,
      writable: true,
      configurable: true,
    });
  }
}

// `list.insert(index, ...values)`: the native method takes the values as one array.
const insertValues = binding.CoreList.prototype.insert;
binding.CoreList.prototype.insert = function insert(index, ...values) {
  return insertValues.call(this, index, values);
};

// The hot calls of a replay go through free functions (see src/fast.rs): napi-rs
// books every method call on an object in a shared borrow table, which costs more
// than the call itself. Each object's slot is fetched once and kept on it.
const { __textInsert, __textDelete, __textLength, __docCommit } = binding;
for (const name of ["__textInsert", "__textDelete", "__textLength", "__docCommit"]) {
  delete binding[name];
}
const slotOf = (obj) => {
  const s = obj.__fastSlot();
  Object.defineProperty(obj, "__slot", { value: s, writable: true });
  return s;
};
const text = binding.CoreText.prototype;
text.insert = function insert(index, s) {
  return __textInsert(this.__slot ?? slotOf(this), index, s);
};
text.delete = function del(index, len) {
  return __textDelete(this.__slot ?? slotOf(this), index, len);
};
Object.defineProperty(text, "length", {
  get() {
    return __textLength(this.__slot ?? slotOf(this));
  },
  configurable: true,
  enumerable: false,
});
binding.WeftDoc.prototype.commit = function commit() {
  return __docCommit(this.__slot ?? slotOf(this));
};

module.exports = binding;
