//! Instants and dates in the viewer's own time zone and language, through the browser's `Date`
//! and `Intl`, so the app ships no time-zone database.

use chrono::{DateTime, Utc};
use js_sys::{Array, Date, Object, Reflect};
use wasm_bindgen::JsValue;

/// Lets the browser choose the viewer's language.
const VIEWER_LOCALE: &str = "default";

fn js_date(instant: DateTime<Utc>) -> Date {
    Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64))
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let options = Object::new();
    for (key, value) in pairs {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    options
}

/// A 24-hour clock whatever the viewer's language: the policy's hours ("08:00–18:00")
/// and the server's page write it so, and one page should not mix "18:00" with "6:00 PM".
const TIME: [(&str, &str); 3] = [
    ("hour", "2-digit"),
    ("minute", "2-digit"),
    ("hourCycle", "h23"),
];
const DAY: [(&str, &str); 3] = [("weekday", "short"), ("day", "numeric"), ("month", "short")];

/// "Mon 30 Nov, 09:00" in the viewer's time zone and language.
pub fn day_and_time(instant: DateTime<Utc>) -> String {
    let pairs: Vec<_> = DAY.iter().chain(TIME.iter()).copied().collect();
    js_date(instant)
        .to_locale_string(VIEWER_LOCALE, &options(&pairs))
        .into()
}

/// "09:00" in the viewer's time zone and language.
pub fn time_of_day(instant: DateTime<Utc>) -> String {
    js_date(instant)
        .to_locale_time_string_with_options(VIEWER_LOCALE, &options(&TIME))
        .into()
}

/// Whether two instants fall on the same calendar day where the viewer is.
pub fn same_local_day(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    js_date(a).to_date_string() == js_date(b).to_date_string()
}

/// The viewer's IANA time zone, e.g. "Europe/Paris", as the browser reports it.
pub fn viewer_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&Array::new(), &Object::new());
    Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
        .ok()?
        .as_string()
}
