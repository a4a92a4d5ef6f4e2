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

module.exports = binding;
