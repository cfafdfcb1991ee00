//! The two pieces of CPython's float behaviour that the pipeline's summary shows: `round(x, 2)`
//! and `repr(x)` (which is how `json.dumps` writes a float).

use std::fmt::Write;

/// CPython's `round(x, 2)`: the exact binary value of x rounded to two decimals, ties to even,
/// and then the double nearest to that decimal. NaN, infinities, zeros and integers come back as
/// they are; a value that rounds to zero keeps its sign.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    // |x| = mantissa * 2^exponent, mantissa < 2^53
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    };
    if exponent >= 0 {
        return x; // no fractional bits
    }
    let shift = (-exponent) as u32;
    // |x| * 100 = scaled / 2^shift; scaled < 2^60, so for shift > 60 it is below one half
    let scaled = mantissa * 100;
    if shift > 60 {
        return 0.0f64.copysign(x);
    }
    let mut hundredths = scaled >> shift;
    let rest = scaled & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    if rest > half || (rest == half && hundredths & 1 == 1) {
        hundredths += 1;
    }
    let magnitude = if hundredths < (1u64 << 53) {
        // both operands are exact doubles, so one IEEE division rounds the quotient correctly
        hundredths as f64 / 100.0
    } else {
        // (only for 2^53/100 <= |x| < 2^52) Rust's decimal reader is correctly rounded
        format!("{}e-2", hundredths)
            .parse::<f64>()
            .expect("digits followed by e-2")
    };
    magnitude.copysign(x)
}

/// Appends CPython's `repr(x)`: the shortest digits that read back as x, laid out in fixed
/// notation for 1e-4 <= |x| < 1e16 (always with a fractional part, `100.0`) and in scientific
/// notation otherwise (`1e+16`, `1.5e-05`); NaN and the infinities as `json.dumps` writes them.
pub fn write_repr(out: &mut String, x: f64) {
    if x.is_nan() {
        out.push_str("NaN");
        return;
    }
    if x.is_infinite() {
        out.push_str(if x < 0.0 { "-Infinity" } else { "Infinity" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    }
    let a = x.abs();
    if a == 0.0 {
        out.push_str("0.0");
        return;
    }
    // Rust's `{:e}` without a precision gives the shortest digits that read back as x, as
    // CPython's repr does. Where two such strings lie exactly equally near x (x = 1e15 + 0.25:
    // ...0.2 and ...0.3), Rust takes the upper one and CPython the even one; Rust's `{:.*e}` is
    // the exact value correctly rounded with ties to even, so at the same length it gives
    // CPython's choice whenever that reads back (it may not beside a power of two, where the
    // interval of values that read back as x is lopsided and only Rust's digits are inside it).
    let shortest = format!("{:e}", a);
    let length = shortest.find('e').unwrap_or(shortest.len()) - usize::from(shortest.contains('.'));
    let nearest = format!("{:.*e}", length.saturating_sub(1), a);
    let sci = if nearest != shortest && nearest.parse::<f64>() == Ok(a) {
        nearest
    } else {
        shortest
    };
    let (mantissa, exp) = sci.split_once('e').expect("{:e} writes an exponent");
    let exp: i32 = exp.parse().expect("{:e} writes an integer exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let digits = digits.trim_end_matches('0'); // (none: a shorter string would have read back)
    let digits = if digits.is_empty() { "0" } else { digits };
    let n = digits.len() as i32;
    let decpt = exp + 1; // x = 0.d1d2...dn * 10^decpt
    if decpt > -4 && decpt <= 16 {
        if decpt <= 0 {
            out.push_str("0.");
            for _ in decpt..0 {
                out.push('0');
            }
            out.push_str(&digits);
        } else if decpt < n {
            out.push_str(&digits[..decpt as usize]);
            out.push('.');
            out.push_str(&digits[decpt as usize..]);
        } else {
            out.push_str(&digits);
            for _ in n..decpt {
                out.push('0');
            }
            out.push_str(".0");
        }
    } else {
        out.push_str(&digits[..1]);
        if n > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let e = decpt - 1;
        let _ = write!(out, "e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
    }
}
