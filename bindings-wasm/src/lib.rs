//! WebAssembly bindings of `weft-core`. They convert types and errors, nothing more.
#![warn(missing_docs)]

mod convert;

use wasm_bindgen::prelude::*;
use weft_core::{Doc, ReplicaId};

/// Version of the core inside this build.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    weft_core::VERSION.to_owned()
}

/// A replica of one document.
#[wasm_bindgen(js_name = WeftDoc)]
pub struct WeftDoc {
    inner: Doc,
}

#[wasm_bindgen(js_class = WeftDoc)]
impl WeftDoc {
    /// An empty document owned by `replica` (a 64-bit id as a bigint).
    #[wasm_bindgen(constructor)]
    pub fn new(replica: u64) -> WeftDoc {
        #[allow(unused_mut)]
        let mut inner = Doc::new(ReplicaId(replica));
        // The std clock has no time source in wasm32-unknown-unknown: hybrid
        // logical clocks read the host's Date.now() instead.
        #[cfg(target_arch = "wasm32")]
        inner.set_clock(std::sync::Arc::new(|| js_sys::Date::now() as u64));
        WeftDoc { inner }
    }

    /// The replica id as a bigint.
    #[wasm_bindgen(getter)]
    pub fn replica(&self) -> u64 {
        self.inner.replica().0
    }

    /// Sets a field to a JSON-like value (last writer wins).
    pub fn set(&mut self, key: &str, value: JsValue) -> Result<(), JsError> {
        let v = convert::from_js(&value, 0)?;
        self.inner.set(key, v);
        Ok(())
    }

    /// A field's value, or `undefined` if it was never set.
    pub fn get(&self, key: &str) -> JsValue {
        self.inner
            .get(key)
            .map_or(JsValue::UNDEFINED, convert::to_js)
    }

    /// Names of the fields that hold a value.
    pub fn keys(&self) -> Vec<String> {
        self.inner.keys().map(str::to_owned).collect()
    }

    /// The whole document as bytes.
    #[wasm_bindgen(js_name = exportSnapshot)]
    pub fn export_snapshot(&mut self) -> Vec<u8> {
        self.inner.export_snapshot()
    }

    /// Merges bytes from `exportSnapshot`; on error nothing changes.
    pub fn import(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.inner
            .import(bytes)
            .map(|_| ())
            .map_err(convert::import_error)
    }
}
