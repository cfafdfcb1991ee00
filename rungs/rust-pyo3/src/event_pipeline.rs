//! The JSON event pipeline (shared/specs/pipeline.md) over serde: serde_json reads the bytes
//! straight into derived structs, one event at a time (the array is never held as a Vec), and
//! the events are filtered and aggregated as they arrive. The summary is written as CPython's
//! `json.dumps` writes the cpython rung's dict: same key order, separators, escapes and floats.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write};

use serde::de::{Deserializer as _, Error as _, SeqAccess, Visitor};
use serde::Deserialize;

use crate::pyfloat::{round2, write_repr};

#[derive(Deserialize)]
struct Event<'a> {
    user_id: i64,
    #[serde(borrow)]
    event_type: Cow<'a, str>,
    #[serde(borrow)]
    timestamp: Cow<'a, str>,
    #[serde(borrow)]
    metadata: Metadata<'a>,
}

/// Only the two metadata keys the pipeline reads; the others are checked as JSON and skipped.
#[derive(Deserialize)]
struct Metadata<'a> {
    #[serde(borrow, default)]
    page: Cow<'a, str>,
    #[serde(default)]
    amount: f64,
}

/// The kept event types, with the upper-cased names that the summary counts them by.
const KEPT: [(&str, &str); 5] = [
    ("page_view", "PAGE_VIEW"),
    ("purchase", "PURCHASE"),
    ("click", "CLICK"),
    ("search", "SEARCH"),
    ("add_to_cart", "ADD_TO_CART"),
];
const WINDOW_START: i64 = 1_740_787_200; // 2025-03-01T00:00:00+00:00
const WINDOW_END: i64 = 1_759_276_799; // 2025-09-30T23:59:59+00:00

struct User {
    id: i64,
    events: u64,
    amount: f64,
    high_value: u64,
    first_seen: i64,
    last_seen: i64,
    types: Vec<(usize, u64)>, // (index in KEPT, count), in the order first reached
    pages: Vec<(u32, u64)>,   // (page id, count), in the order first reached
}

#[derive(Default)]
struct Aggregate {
    users: Vec<User>,           // in order of first appearance
    by_id: HashMap<i64, usize>, // user_id -> index in users
    page_ids: HashMap<String, u32>,
    page_names: Vec<String>,
    events_read: usize,
    array_read: bool, // the closing ] was reached
}

/// `counts[key] += 1` in a list kept in the order keys were first reached (a user has a handful).
fn bump<K: PartialEq>(counts: &mut Vec<(K, u64)>, key: K) {
    match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => counts.push((key, 1)),
    }
}

/// The key with the highest count, the first one reached on a tie (`Counter.most_common(1)`).
fn top<K: Copy>(counts: &[(K, u64)]) -> K {
    let mut best = counts[0];
    for &(key, n) in &counts[1..] {
        if n > best.1 {
            best = (key, n);
        }
    }
    best.0
}

impl Aggregate {
    fn add(&mut self, event: &Event) -> Result<(), String> {
        let Some(kind) = KEPT.iter().position(|(name, _)| *name == event.event_type) else {
            return Ok(());
        };
        let ts = epoch_seconds(&event.timestamp)
            .ok_or_else(|| format!("unsupported timestamp {:?}", event.timestamp))?;
        if !(WINDOW_START..=WINDOW_END).contains(&ts) {
            return Ok(());
        }
        let page = match self.page_ids.get(event.metadata.page.as_ref()) {
            Some(&id) => id,
            None => {
                let id = self.page_names.len() as u32;
                self.page_ids.insert(event.metadata.page.to_string(), id);
                self.page_names.push(event.metadata.page.to_string());
                id
            }
        };
        let next = self.users.len();
        let index = *self.by_id.entry(event.user_id).or_insert(next);
        if index == next {
            self.users.push(User {
                id: event.user_id,
                events: 0,
                amount: 0.0,
                high_value: 0,
                first_seen: ts,
                last_seen: ts,
                types: Vec::new(),
                pages: Vec::new(),
            });
        }
        let user = &mut self.users[index];
        let amount = event.metadata.amount;
        user.events += 1;
        user.amount += amount;
        if amount > 100.0 {
            user.high_value += 1;
        }
        user.first_seen = user.first_seen.min(ts);
        user.last_seen = user.last_seen.max(ts);
        bump(&mut user.types, kind);
        bump(&mut user.pages, page);
        Ok(())
    }

    fn summary(&self) -> String {
        let mut total_amount = 0.0; // the unrounded sums, in order of first appearance
        let (mut total_events, mut total_high_value) = (0u64, 0u64);
        for user in &self.users {
            total_amount += user.amount;
            total_events += user.events;
            total_high_value += user.high_value;
        }
        let mut out = String::with_capacity(64 + 200 * self.users.len());
        let _ = write!(
            out,
            "{{\"total_users\": {}, \"total_events\": {}, \"total_amount\": ",
            self.users.len(),
            total_events
        );
        write_repr(&mut out, round2(total_amount));
        let _ = write!(
            out,
            ", \"total_high_value\": {}, \"users\": [",
            total_high_value
        );
        let mut order: Vec<&User> = self.users.iter().collect();
        order.sort_unstable_by_key(|user| user.id); // ids are unique
        for (i, user) in order.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(
                out,
                "{{\"user_id\": {}, \"event_count\": {}, \"total_amount\": ",
                user.id, user.events
            );
            write_repr(&mut out, round2(user.amount));
            let _ = write!(
                out,
                ", \"high_value_count\": {}, \"duration_seconds\": ",
                user.high_value
            );
            write_repr(&mut out, round2((user.last_seen - user.first_seen) as f64));
            out.push_str(", \"top_event_type\": ");
            write_json_str(&mut out, KEPT[top(&user.types)].1);
            out.push_str(", \"top_page\": ");
            write_json_str(&mut out, &self.page_names[top(&user.pages) as usize]);
            out.push('}');
        }
        out.push_str("]}");
        out
    }
}

/// A JSON string as `json.dumps` writes it (ensure_ascii): printable ASCII as it is, `"` and `\`
/// and the five short control escapes, everything else as \uXXXX UTF-16 units in lower-case hex.
fn write_json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04x}", unit);
                }
            }
        }
    }
    out.push('"');
}

/// Epoch seconds of `YYYY-MM-DDTHH:MM:SS` (or a space for the T) followed by `+HH:MM`, `-HH:MM`
/// or `Z` (the shape of the data set's timestamps), as CPython's
/// `datetime.fromisoformat(s).timestamp()` reads it; None for anything else (fractions of a
/// second, other separators and ISO 8601 forms, invalid dates).
fn epoch_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20 && b.len() != 25 {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<i64> {
        b[at..at + len].iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let separator = b[10] == b'T' || b[10] == b' ';
    if b[4] != b'-' || b[7] != b'-' || !separator || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let offset = match (b.len(), b[19]) {
        (20, b'Z') => 0,
        (25, sign @ (b'+' | b'-')) if b[22] == b':' => {
            let (oh, om) = (num(20, 2)?, num(23, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let seconds = oh * 3600 + om * 60;
            if sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if year < 1 || !(1..=12).contains(&month) || day < 1 || day > month_days[month as usize - 1] {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days from 1970-01-01 to a proleptic Gregorian date (the usual era-of-400-years count).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let shifted_month = if month > 2 { month - 3 } else { month + 9 }; // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Feeds the elements of the top-level array to the aggregate as serde_json reads them.
struct Events<'s>(&'s mut Aggregate);

impl<'de> Visitor<'de> for Events<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON array of events")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(event) = seq.next_element::<Event<'de>>()? {
            self.0.add(&event).map_err(A::Error::custom)?;
            self.0.events_read += 1;
        }
        self.0.array_read = true;
        Ok(())
    }
}

/// The canonical summary of the event log in `data`, or an error naming the event's index and
/// the byte offset, line and column where reading stopped.
pub fn run(data: &[u8]) -> Result<String, String> {
    let mut aggregate = Aggregate::default();
    let mut reader = serde_json::Deserializer::from_slice(data);
    let result = reader
        .deserialize_seq(Events(&mut aggregate))
        .and_then(|()| reader.end());
    match result {
        Ok(()) => Ok(aggregate.summary()),
        Err(e) => {
            // serde_json counts lines from 1 and columns in bytes from 1
            let line_start = match e.line() {
                0 | 1 => 0,
                n => data
                    .iter()
                    .enumerate()
                    .filter(|&(_, &c)| c == b'\n')
                    .nth(n - 2)
                    .map_or(data.len(), |(i, _)| i + 1),
            };
            let offset = line_start + e.column().saturating_sub(1);
            let cause = e.to_string();
            let cause = cause.split(" at line ").next().unwrap_or(&cause);
            let place = if aggregate.array_read {
                format!("after the array of {} events", aggregate.events_read)
            } else {
                format!("event {}", aggregate.events_read)
            };
            Err(format!(
                "{}: {} (byte {}, line {}, column {})",
                place,
                cause,
                offset,
                e.line(),
                e.column()
            ))
        }
    }
}
