// What wasm-bindgen's glue does not do itself, applied to the classes of either
// glue (web or nodejs) once, when the module loads.

function coded(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

const badIndex = () => coded("WEFT_INDEX", "an index is a non-negative integer");

/**
 * Index arguments cross as f64, the cheapest way; the glue would throw an uncoded
 * TypeError for a bigint, so the first `count` arguments of `name` are checked here.
 */
function guardIndices(proto, name, count) {
  const raw = proto[name];
  proto[name] =
    count === 1
      ? function checked1(a, b) {
          if (typeof a !== "number") throw badIndex();
          return raw.call(this, a, b);
        }
      : function checked2(a, b) {
          if (typeof a !== "number" || typeof b !== "number") throw badIndex();
          return raw.call(this, a, b);
        };
}

/** `text.insert` takes a `&str`; the glue would coerce a non-string silently. */
function guardTextInsert(proto) {
  const insert = proto.insert;
  proto.insert = function insertChecked(index, text) {
    if (typeof index !== "number") throw badIndex();
    if (typeof text !== "string") throw coded("WEFT_INVALID_VALUE", "inserted text must be a string");
    return insert.call(this, index, text);
  };
}

/** `list.insert(index, ...values)`: the Rust side takes the values as one array. */
function spreadListInsert(proto) {
  const insert = proto.insert;
  proto.insert = function insertValues(index, ...values) {
    if (typeof index !== "number") throw badIndex();
    return insert.call(this, index, values);
  };
}

/** Patches the glue module `m` in place and returns it. */
export function install(m) {
  guardTextInsert(m.CoreText.prototype);
  guardIndices(m.CoreText.prototype, "delete", 2);
  spreadListInsert(m.CoreList.prototype);
  guardIndices(m.CoreList.prototype, "delete", 2);
  guardIndices(m.CoreList.prototype, "get", 1);
  guardIndices(m.CoreList.prototype, "insertContainer", 1);
  return m;
}
