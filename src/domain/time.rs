//! Dates as people read them, without chrono's formatting machinery (which
//! would weigh on the browser bundle).

use chrono::{DateTime, Datelike, Timelike, Utc};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "23 November 2026"
pub fn date(at: DateTime<Utc>) -> String {
    format!(
        "{} {} {}",
        at.day(),
        MONTHS[at.month0() as usize],
        at.year()
    )
}

/// "23 November 2026 at 14:05 UTC"
pub fn date_time(at: DateTime<Utc>) -> String {
    format!("{} at {:02}:{:02} UTC", date(at), at.hour(), at.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats() {
        let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 7, 0).unwrap();
        assert_eq!(date(at), "5 January 2026");
        assert_eq!(date_time(at), "5 January 2026 at 09:07 UTC");
    }
}
