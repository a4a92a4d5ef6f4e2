//! Run-length encoded columns of integers (the scheme Automerge's columnar format
//! uses): a signed LEB128 header `n > 0` repeats the next value `n` times, `n < 0`
//! is followed by `-n` literal values. Repeats cost two varints whatever their
//! length, so a typing session's ids, origins and lengths shrink to a few bytes.

use super::reader::Reader;
use super::tables::{TableWriter, Tables};
use super::writer::Writer;
use super::DecodeError;
use crate::OpId;

/// Zig-zag: small magnitudes of either sign become small unsigned numbers.
pub(crate) fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

pub(crate) fn unzigzag(u: u64) -> i64 {
    ((u >> 1) as i64) ^ -((u & 1) as i64)
}

#[derive(Default)]
pub(crate) struct RleWriter {
    w: Writer,
    literals: Vec<u64>,
    run: Option<(u64, u64)>,
}

impl RleWriter {
    /// An empty column, for arrays of columns.
    pub(crate) const EMPTY: Self = Self {
        w: Writer {
            buf: Vec::new(),
            held: None,
        },
        literals: Vec::new(),
        run: None,
    };

    /// The column's buffer written to as it is, for the columns of a set that
    /// are not run-length coded (values, numbers): [`RleWriter::finish`] then
    /// returns those bytes.
    pub(crate) fn raw(&mut self) -> &mut Writer {
        &mut self.w
    }

    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn push(&mut self, v: u64) {
        match &mut self.run {
            Some((val, n)) if *val == v => *n += 1,
            _ => {
                self.end_run();
                self.run = Some((v, 1));
            }
        }
    }

    #[inline]
    pub(crate) fn push_signed(&mut self, v: i64) {
        self.push(zigzag(v));
    }

    #[inline]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn end_run(&mut self) {
        match self.run.take() {
            Some((v, 1)) => self.literals.push(v),
            Some((v, n)) => {
                self.flush_literals();
                self.w.ivarint(n as i64);
                self.w.uvarint(v);
            }
            None => {}
        }
    }

    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    fn flush_literals(&mut self) {
        if self.literals.is_empty() {
            return;
        }
        self.w.ivarint(-(self.literals.len() as i64));
        for v in self.literals.drain(..) {
            self.w.uvarint(v);
        }
    }

    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.end_run();
        self.flush_literals();
        self.w.buf
    }
}

/// Streams values out of an RLE column; allocates nothing.
#[derive(Clone)]
pub(crate) struct RleReader<'a> {
    r: Reader<'a>,
    /// The repeated value of a run of repeats.
    run: u64,
    /// How many values of the current run are left: repeats of `run` if
    /// positive, literals (each read from the column) if negative. One
    /// signed field rather than a count and an `Option`: a value inside a
    /// run tests and updates one word of the reader.
    left: i64,
}

impl<'a> RleReader<'a> {
    /// A column holding nothing: what a set of columns starts as before
    /// [`frame`] fills it, and what a section that is absent reads as.
    pub(crate) const EMPTY: Self = Self::new(&[]);

    pub(crate) const fn new(bytes: &'a [u8]) -> Self {
        Self {
            r: Reader::new(bytes),
            run: 0,
            left: 0,
        }
    }

    /// The column's bytes read as they are, for the columns of a set that
    /// are not run-length coded (values, numbers): framed with the others,
    /// checked for leftovers with them by [`RleReader::is_done`].
    pub(crate) fn raw(&mut self) -> &mut Reader<'a> {
        &mut self.r
    }

    /// Always inlined natively: a value is a few instructions once inside a run,
    /// while a call returning a `Result` through memory costs several times that.
    /// Not in the WebAssembly build, where its forty call sites would cost
    /// about 0.7 KB of the size-optimised module.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn next(&mut self) -> Result<u64, DecodeError> {
        self.read::<false>()
    }

    /// A value: inside a run a repeat or the next literal; at a run's end
    /// the next run's header, read in place (`NEW_RUN_INLINE`) or through
    /// the out-of-line [`RleReader::next_slow`].
    #[inline(always)]
    fn read<const NEW_RUN_INLINE: bool>(&mut self) -> Result<u64, DecodeError> {
        if self.left > 0 {
            self.left -= 1;
            return Ok(self.run);
        }
        if self.left < 0 {
            self.left += 1;
            return self.r.uvarint();
        }
        if NEW_RUN_INLINE {
            self.new_run()
        } else {
            self.next_slow()
        }
    }

    /// A new run's header and its first value (`next` found none left). Runs
    /// in span columns are short: this is taken for about one value in six.
    #[inline(never)]
    fn next_slow(&mut self) -> Result<u64, DecodeError> {
        self.new_run()
    }

    /// [`RleReader::next`] with a new run's header read in place too, for
    /// the span decoder's flags, counter and length columns that every span
    /// reads. In the WebAssembly build too: there `next_slow` was a call
    /// of ~170 instructions a run (automerge-paper's import, 7,974 runs),
    /// and the three columns read in place took 0.64 M instructions (3.2%)
    /// off it for +341 B gzipped (branch `wasmimport2`, docs/benchmarks.md).
    #[inline(always)]
    pub(crate) fn next_inline(&mut self) -> Result<u64, DecodeError> {
        self.read::<true>()
    }

    #[inline(always)]
    fn new_run(&mut self) -> Result<u64, DecodeError> {
        let offset = self.r.offset();
        let n = unzigzag(self.r.uvarint()?);
        if n > 0 {
            let v = self.r.uvarint()?;
            self.run = v;
            self.left = n - 1;
            return Ok(v);
        }
        if n == 0 {
            return Err(DecodeError::Corrupt {
                offset,
                what: "empty run in a column",
            });
        }
        // `-n - 1` literals after this one, kept negative (`n + 1` cannot
        // overflow: `n` is negative).
        self.left = n + 1;
        self.r.uvarint()
    }

    /// If the next `n` values (`n` at least 1) are one value repeated in
    /// one run, takes them and returns it; otherwise leaves the column as
    /// it was (natively: the span decoder's one-replica loop).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn take_repeats(&mut self, n: usize) -> Option<u64> {
        let more = i64::try_from(n.checked_sub(1)?).ok()?;
        let mut probe = self.clone();
        let v = probe.next().ok()?;
        // `left` is what is left of a run of repeats when positive, of
        // literals when negative: `more` further values of `v` are there
        // only in a run of repeats (or none are needed).
        if probe.left < more {
            return None;
        }
        probe.left -= more;
        *self = probe;
        Some(v)
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn next_signed(&mut self) -> Result<i64, DecodeError> {
        Ok(unzigzag(self.next()?))
    }

    /// Where the next value is read from (for errors).
    pub(crate) fn offset(&self) -> usize {
        self.r.offset()
    }

    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    #[cfg_attr(weft_wasm_speed, optimize(speed))]
    pub(crate) fn next_usize(&mut self, max: usize) -> Result<usize, DecodeError> {
        let offset = self.r.offset();
        let v = self.next()?;
        if v > max as u64 {
            return Err(DecodeError::LengthTooLarge { claimed: v, offset });
        }
        Ok(v as usize)
    }

    /// [`RleReader::next_usize`] in the WebAssembly build, for its size:
    /// the link column's two reads in place were another 0.47 KB gzipped
    /// for 2% of the import's instructions.
    #[cfg(target_arch = "wasm32")]
    #[inline]
    pub(crate) fn next_usize_inline(&mut self, max: usize) -> Result<usize, DecodeError> {
        self.next_usize(max)
    }

    /// [`RleReader::next_usize`] through [`RleReader::next_inline`].
    #[cfg(not(target_arch = "wasm32"))]
    #[inline(always)]
    pub(crate) fn next_usize_inline(&mut self, max: usize) -> Result<usize, DecodeError> {
        let offset = self.r.offset();
        let v = self.next_inline()?;
        if v > max as u64 {
            return Err(DecodeError::LengthTooLarge { claimed: v, offset });
        }
        Ok(v as usize)
    }

    /// Whether every value was consumed (left-over values mean corrupt input).
    pub(crate) fn is_done(&self) -> bool {
        self.left == 0 && self.r.remaining() == 0
    }
}

/// Frames consecutive length-prefixed columns into `cols`, in order. Every
/// column set (changes, marks, spans) is framed by this one loop rather than
/// by a read per named column in each decoder.
pub(crate) fn frame<'a>(r: &mut Reader<'a>, cols: &mut [RleReader<'a>]) -> Result<(), DecodeError> {
    for col in cols {
        *col = RleReader::new(r.bytes()?);
    }
    Ok(())
}

/// The next id of a column pair: a replica's table index in `cols[replica]`,
/// its counter relative to `base` in `cols[counter]` (deps, origins, tags,
/// delete targets, mark anchors: one copy of the read for all of them).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(crate) fn next_id(
    cols: &mut [RleReader<'_>],
    replica: usize,
    counter: usize,
    t: &Tables,
    base: u64,
) -> Result<OpId, DecodeError> {
    let r = t.replica(cols[replica].next()?)?;
    let delta = cols[counter].next_signed()?;
    Ok(OpId::new(r, base.wrapping_add(delta as u64)))
}

/// Writes `id` to a column pair, as [`next_id`] reads it back.
pub(crate) fn push_id(
    cols: &mut [RleWriter],
    replica: usize,
    counter: usize,
    t: &mut TableWriter,
    id: OpId,
    base: u64,
) {
    cols[replica].push(t.replica(id.replica));
    cols[counter].push_signed(id.counter.wrapping_sub(base) as i64);
}

/// Whether every column of a set was used up (left-over values mean
/// corrupt input).
pub(crate) fn all_done(cols: &[RleReader<'_>]) -> bool {
    cols.iter().all(RleReader::is_done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(values: &[u64]) -> Vec<u8> {
        let mut w = RleWriter::default();
        for &v in values {
            w.push(v);
        }
        w.finish()
    }

    fn rest(mut r: RleReader<'_>) -> Vec<u64> {
        let mut out = Vec::new();
        while !r.is_done() {
            out.push(r.next().unwrap());
        }
        out
    }

    /// `take_repeats` takes `n` values only where they are one run of one
    /// value, and otherwise leaves the column reading as before.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn repeats_are_taken_only_from_one_run() {
        let cases: &[(&[u64], usize, Option<u64>)] = &[
            (&[7; 10], 10, Some(7)),
            (&[7; 10], 4, Some(7)),
            (&[7; 10], 11, None),
            (&[7; 10], 0, None),
            // Literals are not a run, but the last of a stretch is all
            // there is to take.
            (&[1, 2, 3], 1, None),
            (&[9], 1, Some(9)),
            (&[1, 2, 3], 2, None),
            (&[1, 2, 3], 3, None),
            (&[5, 5, 5, 6], 3, Some(5)),
            (&[5, 5, 5, 6], 4, None),
            (&[], 1, None),
        ];
        for &(values, n, want) in cases {
            let bytes = column(values);
            let mut r = RleReader::new(&bytes);
            assert_eq!(r.take_repeats(n), want, "{values:?} taking {n}");
            let taken = if want.is_some() { n } else { 0 };
            assert_eq!(rest(r), values[taken..], "{values:?} after taking {n}");
        }
        // Inside a run already read from: what is left of it counts.
        let bytes = column(&[3; 6]);
        let mut r = RleReader::new(&bytes);
        r.next().unwrap();
        assert_eq!(r.take_repeats(6), None);
        assert_eq!(r.take_repeats(5), Some(3));
        assert!(r.is_done());
        // A header that is not a valid varint: nothing taken, the error
        // still reported by the next read.
        let bad = [0x80u8];
        let mut r = RleReader::new(&bad);
        assert_eq!(r.take_repeats(1), None);
        assert!(r.next().is_err());
    }

    /// `next_inline` reads what `next` reads, errors included.
    #[test]
    fn inline_reads_agree_with_next() {
        let values: Vec<u64> = (0..300u64)
            .map(|i| [1, 1, 1, 200, i % 7, 1 << 40][(i % 6) as usize])
            .collect();
        let bytes = column(&values);
        let (mut a, mut b) = (RleReader::new(&bytes), RleReader::new(&bytes));
        for _ in 0..values.len() {
            assert_eq!(a.next().unwrap(), b.next_inline().unwrap());
        }
        assert!(b.is_done());
        for cut in 0..bytes.len() {
            let (mut a, mut b) = (RleReader::new(&bytes[..cut]), RleReader::new(&bytes[..cut]));
            loop {
                match (a.next(), b.next_inline()) {
                    (Ok(x), Ok(y)) => assert_eq!(x, y),
                    (Err(x), Err(y)) => {
                        assert_eq!(format!("{x:?}"), format!("{y:?}"));
                        break;
                    }
                    (x, y) => panic!("cut at {cut}: {x:?} against {y:?}"),
                }
            }
        }
    }
}
