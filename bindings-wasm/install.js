// What wasm-bindgen's glue does not do itself, applied to the classes of either
// glue (web or nodejs) once, when the module loads.

function coded(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

const badIndex = () => coded("WEFT_INDEX", "an index is a non-negative integer");

/**
 * The build aborts on a panic: the instance traps (a WebAssembly.RuntimeError) and
 * its memory cannot be trusted any more. The glue then starts a fresh instance
 * (wasm-bindgen's reset-state function); objects of the stopped one throw
 * WEFT_PANIC from then on, and new documents work. Documents must be reopened
 * from their last export: that is the limit of panic = "abort".
 */
function translate(m, err) {
  if (err instanceof WebAssembly.RuntimeError) {
    // Before the restart: the hot calls must not pass old objects' pointers on.
    forgetInstance.get(m)?.();
    try {
      m.__wbg_reset_state();
      started(m);
    } catch {
      // A failed restart leaves the old objects stale all the same.
    }
    return coded(
      "WEFT_PANIC",
      `an internal error stopped the WebAssembly core (a bug in Weft, please report it: ${err.message}); ` +
        "it was restarted: documents opened before are gone, reopen them from their last export",
    );
  }
  if (
    err instanceof Error &&
    err.code === undefined &&
    /stale object from previous Wasm instance/.test(err.message)
  ) {
    return coded(
      "WEFT_PANIC",
      "this object belonged to a WebAssembly core that stopped after an internal error: reopen its document from its last export",
    );
  }
  return err;
}

/** Every method and getter of `proto` turns traps into WEFT_PANIC. */
function guardTraps(m, proto) {
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === "constructor" || name === "__destroy_into_raw") continue;
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    if (typeof desc.value === "function") {
      const raw = desc.value;
      // Fixed arity (the widest method takes four): no rest array per call.
      proto[name] = function guarded(a, b, c, d) {
        try {
          return raw.call(this, a, b, c, d);
        } catch (err) {
          const out = translate(m, err);
          // Freeing an object of a stopped instance has nothing left to do.
          if (name === "free" && out !== err && !(err instanceof WebAssembly.RuntimeError)) return undefined;
          throw out;
        }
      };
    } else if (desc.get) {
      const get = desc.get;
      Object.defineProperty(proto, name, {
        ...desc,
        get() {
          try {
            return get.call(this);
          } catch (err) {
            throw translate(m, err);
          }
        },
      });
    }
  }
  if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
}

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
      : function checked2(a, b, c, d) {
          if (typeof a !== "number" || typeof b !== "number") throw badIndex();
          return raw.call(this, a, b, c, d);
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

/** Per glue module: makes its hot calls forget the instance they trust. */
const forgetInstance = new WeakMap();

/**
 * The hot calls of a replay (see src/fast.rs): the public `text.insert`,
 * `text.delete`, `text.length` and `doc.commit` call twins that return a plain
 * number and keep their error for `takeError()`, with the same argument checks and
 * trap translation as the other methods but no second wrapper per call. The
 * insert, delete and commit twins are the glue's free functions taking the
 * object's `__wbg_ptr` (wasm-bindgen's own shims for `&self` cost ~6% of a
 * replay): only for an object of the instance `live`, learned from the first
 * object that passed the glue's own stale check (the public method, `slow`) and
 * forgotten when the instance restarts; other objects take `slow`. `fast` holds
 * `lengthFast`, already removed from the prototype.
 */
function hotPaths(m, fast) {
  const { lengthFast } = fast;
  const { coretext_insertFast: insertFast, coretext_insertUnit: insertUnit } = m;
  const { coretext_deleteFast: deleteFast, weftdoc_commitFast: commitFast } = m;
  const text = m.CoreText.prototype;
  const slow = { insert: text.insert, delete: text.delete, commit: m.WeftDoc.prototype.commit };
  // No number or undefined equals it: nothing is trusted before the first slow call.
  const unknown = {};
  let live = unknown;
  forgetInstance.set(m, () => {
    live = unknown;
  });
  text.insert = function insert(index, s) {
    if (typeof index !== "number") throw badIndex();
    if (typeof s !== "string") throw coded("WEFT_INVALID_VALUE", "inserted text must be a string");
    if (this.__wbg_inst !== live) {
      slow.insert.call(this, index, s);
      live = this.__wbg_inst;
      return;
    }
    let failed;
    try {
      // One code unit outside the surrogates (a lone one is replaced by U+FFFD
      // when a string crosses) goes as a number: no copy into the module.
      const unit = s.length === 1 ? s.charCodeAt(0) : 0xd800;
      failed =
        unit < 0xd800 || unit > 0xdfff
          ? insertUnit(this.__wbg_ptr, index, unit)
          : insertFast(this.__wbg_ptr, index, s);
    } catch (err) {
      throw translate(m, err);
    }
    if (failed !== 0) throw m.takeError();
  };
  text.delete = function del(index, len) {
    if (typeof index !== "number" || typeof len !== "number") throw badIndex();
    if (this.__wbg_inst !== live) {
      slow.delete.call(this, index, len);
      live = this.__wbg_inst;
      return;
    }
    let failed;
    try {
      failed = deleteFast(this.__wbg_ptr, index, len);
    } catch (err) {
      throw translate(m, err);
    }
    if (failed !== 0) throw m.takeError();
  };
  Object.defineProperty(text, "length", {
    ...Object.getOwnPropertyDescriptor(text, "length"),
    get() {
      let n;
      try {
        n = lengthFast.call(this);
      } catch (err) {
        throw translate(m, err);
      }
      if (n < 0) throw m.takeError();
      return n;
    },
  });
  m.WeftDoc.prototype.commit = function commit() {
    if (this.__wbg_inst !== live) {
      slow.commit.call(this);
      live = this.__wbg_inst;
      return;
    }
    let failed;
    try {
      failed = commitFast(this.__wbg_ptr);
    } catch (err) {
      throw translate(m, err);
    }
    if (failed !== 0) throw m.takeError();
  };
}

/** Takes the fast twins off the prototypes, so only the public names remain. */
function takeTwins(m) {
  const fast = {};
  for (const [cls, name] of [[m.CoreText, "lengthFast"]]) {
    fast[name] = cls.prototype[name];
    delete cls.prototype[name];
  }
  return fast;
}

/**
 * Once the module of glue `m` is instantiated: lets it read `Date.now()` once per
 * task (see setHostClock in src/doc.rs), the reading dropped by a microtask.
 */
export function started(m) {
  const expire = () => m.expireHostClock();
  m.setHostClock(() => queueMicrotask(expire));
}

/** Patches the glue module `m` in place and returns it. */
export function install(m) {
  try {
    started(m);
  } catch {
    // The web glue is instantiated later: web.js calls started() after init.
  }
  const fast = takeTwins(m);
  for (const cls of [m.WeftDoc, m.CoreText, m.CoreList, m.CoreMap, m.CoreCounter, m.CoreSet]) {
    guardTraps(m, cls.prototype);
  }
  hotPaths(m, fast);
  guardIndices(m.CoreText.prototype, "mark", 2);
  guardIndices(m.CoreText.prototype, "unmark", 2);
  guardIndices(m.CoreText.prototype, "cursor", 1);
  spreadListInsert(m.CoreList.prototype);
  guardIndices(m.CoreList.prototype, "delete", 2);
  guardIndices(m.CoreList.prototype, "get", 1);
  guardIndices(m.CoreList.prototype, "insertContainer", 1);
  guardIndices(m.CoreList.prototype, "cursor", 1);
  return m;
}
