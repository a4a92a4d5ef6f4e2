//! Node.js bindings of `weft-core`. They convert types and errors, nothing more.
#![warn(missing_docs)]
#![deny(clippy::all)]

mod convert;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use weft_core::{Doc, ReplicaId};

use convert::{Code, JsOut};

/// Version of the core inside this build.
#[napi]
pub fn core_version() -> String {
    weft_core::VERSION.to_owned()
}

/// A replica of one document.
#[napi(js_name = "WeftDoc")]
pub struct WeftDoc {
    inner: Doc,
}

#[napi]
impl WeftDoc {
    /// An empty document owned by `replica` (a 64-bit id as a bigint).
    #[napi(constructor)]
    pub fn new(replica: BigInt) -> Result<Self, Code> {
        Ok(Self {
            inner: Doc::new(ReplicaId(convert::replica_id(replica)?)),
        })
    }

    /// The replica id as a bigint.
    #[napi(getter)]
    pub fn replica(&self) -> BigInt {
        BigInt::from(self.inner.replica().0)
    }

    /// Sets a field to a JSON-like value (last writer wins).
    #[napi(ts_args_type = "key: string, value: unknown")]
    pub fn set(&mut self, key: String, value: Unknown) -> Result<(), Code> {
        let v = convert::from_js(&value, 0)?;
        self.inner.set(&key, v);
        Ok(())
    }

    /// A field's value, or `undefined` if it was never set.
    #[napi(ts_return_type = "any")]
    pub fn get(&self, key: String) -> Either<JsOut<'_>, Undefined> {
        // `Option` would surface as `null`, which is a value a field can hold.
        match self.inner.get(&key) {
            Some(v) => Either::A(JsOut(v)),
            None => Either::B(()),
        }
    }

    /// Names of the fields that hold a value.
    #[napi]
    pub fn keys(&self) -> Vec<String> {
        self.inner.keys().map(str::to_owned).collect()
    }

    /// The whole document as bytes.
    #[napi]
    pub fn export_snapshot(&mut self) -> Uint8Array {
        Uint8Array::new(self.inner.export_snapshot())
    }

    /// Merges bytes from `exportSnapshot`; on error nothing changes.
    #[napi]
    pub fn import(&mut self, bytes: Uint8Array) -> Result<(), Code> {
        self.inner
            .import(&bytes)
            .map(|_| ())
            .map_err(convert::import_error)
    }
}
