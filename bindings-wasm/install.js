// What wasm-bindgen's glue does not do itself, applied to the classes of either
// glue (web or nodejs) once, when the module loads.

function coded(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

/**
 * Argument checks on the per-edit path. The Rust side takes a `&str` there (the
 * cheapest way across), and the glue would otherwise coerce a non-string or choke
 * on a bigint with an uncoded TypeError.
 */
function guardEdits(proto) {
  const insert = proto.insert;
  const del = proto.delete;
  proto.insert = function insertChecked(index, text) {
    if (typeof index !== "number") throw coded("WEFT_INDEX", "an index is a non-negative integer");
    if (typeof text !== "string") throw coded("WEFT_INVALID_VALUE", "inserted text must be a string");
    return insert.call(this, index, text);
  };
  proto.delete = function deleteChecked(index, len) {
    if (typeof index !== "number" || typeof len !== "number") {
      throw coded("WEFT_INDEX", "an index is a non-negative integer");
    }
    return del.call(this, index, len);
  };
}

/** Patches the glue module `m` in place and returns it. */
export function install(m) {
  guardEdits(m.CoreText.prototype);
  return m;
}
