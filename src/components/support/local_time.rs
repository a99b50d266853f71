//! Instants and dates in the viewer's own time zone and language, through the browser's `Date`
//! and `Intl`, so the app ships no time-zone database.

use std::thread::LocalKey;

use chrono::{DateTime, Utc};
use js_sys::Intl::DateTimeFormat;
use js_sys::{Array, Date, Object, Reflect};
use wasm_bindgen::JsValue;

fn js_date(instant: DateTime<Utc>) -> Date {
    Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64))
}

/// A formatter in the viewer's language (no locale given lets the browser choose) and time
/// zone. Made once per kind: creating an `Intl` formatter costs far more than formatting, and
/// `Date.toLocaleString` creates one at every call, which made the support page's week of
/// opening hours one of the longest tasks of its start on a phone.
fn formatter(pairs: &[(&str, &str)]) -> DateTimeFormat {
    let options = Object::new();
    for (key, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    DateTimeFormat::new(&Array::new(), &options)
}

/// A 24-hour clock whatever the viewer's language: the policy's hours ("08:00–18:00")
/// and the server's page write it so, and one page should not mix "18:00" with "6:00 PM".
const TIME: [(&str, &str); 3] = [
    ("hour", "2-digit"),
    ("minute", "2-digit"),
    ("hourCycle", "h23"),
];
const DAY_AND_TIME: [(&str, &str); 6] = [
    ("weekday", "short"),
    ("day", "numeric"),
    ("month", "short"),
    TIME[0],
    TIME[1],
    TIME[2],
];

thread_local! {
    static TIME_FORMAT: DateTimeFormat = formatter(&TIME);
    static DAY_AND_TIME_FORMAT: DateTimeFormat = formatter(&DAY_AND_TIME);
}

fn format(formatter: &'static LocalKey<DateTimeFormat>, instant: DateTime<Utc>) -> String {
    formatter.with(|formatter| {
        formatter
            .format()
            .call1(&JsValue::NULL, &js_date(instant))
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default()
    })
}

/// "Mon 30 Nov, 09:00" in the viewer's time zone and language.
pub fn day_and_time(instant: DateTime<Utc>) -> String {
    format(&DAY_AND_TIME_FORMAT, instant)
}

/// "09:00" in the viewer's time zone and language.
pub fn time_of_day(instant: DateTime<Utc>) -> String {
    format(&TIME_FORMAT, instant)
}

/// Whether two instants fall on the same calendar day where the viewer is.
pub fn same_local_day(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    js_date(a).to_date_string() == js_date(b).to_date_string()
}

/// The viewer's IANA time zone, e.g. "Europe/Paris", as the browser reports it.
pub fn viewer_time_zone() -> Option<String> {
    TIME_FORMAT.with(|formatter| {
        Reflect::get(
            &formatter.resolved_options(),
            &JsValue::from_str("timeZone"),
        )
        .ok()?
        .as_string()
    })
}
