//! The printed figures: Markdown tables (pasted as they are into
//! docs/benchmarks.md), medians of the runs, and each library's ratio to Weft
//! (above 1: the peer takes longer, or its encoding is larger).

use std::time::Duration;

use crate::measure::{MergeFigures, TraceFigures};
use crate::traces::Trace;

/// The median (mean of the middle two for an even count); zero for none.
pub fn median(xs: &[Duration]) -> Duration {
    let mut s = xs.to_vec();
    s.sort_unstable();
    match s.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => s[n / 2],
        n => (s[n / 2 - 1] + s[n / 2]) / 2,
    }
}

fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 10.0 {
        format!("{v:.3}")
    } else if v < 100.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

fn ratio(x: f64, weft: Option<f64>) -> String {
    match weft {
        Some(w) if w > 0.0 => format!("{:.2}×", x / w),
        _ => "–".to_owned(),
    }
}

/// Thousands separated by commas.
pub fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The 1-, 5- and 15-minute load averages, as `uptime` prints them.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

pub fn trace_table(trace: &Trace, figs: &[TraceFigures]) -> String {
    let weft = figs.iter().find(|f| f.lib == "weft");
    let w_replay = weft.map(|f| median(&f.replay).as_secs_f64());
    let w_size = weft.map(|f| f.encoded.len() as f64);
    let w_edit = weft.map(|f| median(&f.import_edit).as_secs_f64());
    let mut out = format!(
        "### {}: {} edits in {} transactions, {} characters at the end\n\n",
        trace.name,
        count(trace.edits),
        count(trace.txns.len()),
        count(trace.end_content.chars().count())
    );
    out.push_str(
        "| library | replay ms | M edits/s | replay ×Weft | encoded B | size ×Weft | import ms | import + read ms | import + edit ms | import + edit ×Weft | heap after replay MB (peak) | runs (replay / import) |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for f in figs {
        let replay = median(&f.replay);
        let edit = median(&f.import_edit);
        out.push_str(&format!(
            "| {} | {} | {:.2} | {} | {} | {} | {} | {} | {} | {} | {:.2} ({:.2}) | {} / {} |\n",
            f.lib,
            ms(replay),
            trace.edits as f64 / replay.as_secs_f64() / 1e6,
            ratio(replay.as_secs_f64(), w_replay),
            count(f.encoded.len()),
            ratio(f.encoded.len() as f64, w_size),
            ms(median(&f.import)),
            ms(median(&f.import_read)),
            ms(edit),
            ratio(edit.as_secs_f64(), w_edit),
            f.held as f64 / 1e6,
            f.peak as f64 / 1e6,
            f.replay.len(),
            f.import.len(),
        ));
    }
    out
}

pub fn merge_table(ops: usize, figs: &[MergeFigures]) -> String {
    let w = figs
        .iter()
        .find(|f| f.lib == "weft")
        .map(|f| median(&f.merge).as_secs_f64());
    let mut out = format!(
        "### concurrent merge: two replicas, {} single-character edits each, the left side's changes imported into the right\n\n\
         | library | merge ms | ×Weft | update B | runs |\n| --- | --- | --- | --- | --- |\n",
        count(ops)
    );
    for f in figs {
        let m = median(&f.merge);
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            f.lib,
            ms(m),
            ratio(m.as_secs_f64(), w),
            count(f.update_bytes),
            f.merge.len()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let d = Duration::from_millis;
        assert_eq!(median(&[d(5), d(1), d(3)]), d(3));
        assert_eq!(
            median(&[d(4), d(1), d(3), d(2)]),
            Duration::from_micros(2_500)
        );
        assert_eq!(median(&[]), Duration::ZERO);
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(259_778), "259,778");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
