//! Points in time as the browser needs them: seconds since the Unix epoch, and
//! dates as people read them. Written by hand so the browser bundle carries no
//! date library (chrono stays on the server).

use serde::{Deserialize, Serialize};

/// A UTC instant, in whole seconds since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Timestamp(pub i64);

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

impl Timestamp {
    /// (year, month 1–12, day 1–31) of the proleptic Gregorian calendar
    /// (Howard Hinnant's days-to-civil algorithm).
    pub fn ymd(self) -> (i64, u32, u32) {
        let days = self.0.div_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// (hour, minute) of the day, UTC.
    pub fn hm(self) -> (i64, i64) {
        let secs = self.0.rem_euclid(86_400);
        (secs / 3_600, secs % 3_600 / 60)
    }
}

/// The first instant of a month (UTC), from Howard Hinnant's days-from-civil algorithm.
pub fn month_start(year: i64, month: u32) -> Timestamp {
    let (y, m) = if month <= 2 {
        (year - 1, i64::from(month) + 9)
    } else {
        (year, i64::from(month) - 3)
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Timestamp((era * 146_097 + doe - 719_468) * 86_400)
}

/// The month before `(year, month)`.
pub fn previous_month(year: i64, month: u32) -> (i64, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

/// The month after `(year, month)`.
pub fn next_month(year: i64, month: u32) -> (i64, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

/// "November 2026"
pub fn month_name(year: i64, month: u32) -> String {
    format!("{} {year}", MONTHS[month as usize - 1])
}

#[cfg(feature = "ssr")]
impl From<chrono::DateTime<chrono::Utc>> for Timestamp {
    fn from(at: chrono::DateTime<chrono::Utc>) -> Self {
        Timestamp(at.timestamp())
    }
}

/// "23 Nov 2026"
pub fn short_date(at: impl Into<Timestamp>) -> String {
    let (year, month, day) = at.into().ymd();
    format!("{day} {} {year}", &MONTHS[month as usize - 1][..3])
}

/// "14:05 UTC"
pub fn time_of_day(at: impl Into<Timestamp>) -> String {
    let (hour, minute) = at.into().hm();
    format!("{hour:02}:{minute:02} UTC")
}

/// "23 November 2026"
pub fn date(at: impl Into<Timestamp>) -> String {
    let (year, month, day) = at.into().ymd();
    format!("{day} {} {year}", MONTHS[month as usize - 1])
}

/// "23 November 2026 at 14:05 UTC"
pub fn date_time(at: impl Into<Timestamp>) -> String {
    let at = at.into();
    let (hour, minute) = at.hm();
    format!("{} at {hour:02}:{minute:02} UTC", date(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        // 2026-01-05T09:07:00Z
        assert_eq!(date(Timestamp(1_767_604_020)), "5 January 2026");
        assert_eq!(
            date_time(Timestamp(1_767_604_020)),
            "5 January 2026 at 09:07 UTC"
        );
        assert_eq!(date(Timestamp(0)), "1 January 1970");
        assert_eq!(short_date(Timestamp(1_767_604_020)), "5 Jan 2026");
        assert_eq!(time_of_day(Timestamp(1_767_604_020)), "09:07 UTC");
        assert_eq!(date(Timestamp(951_782_400)), "29 February 2000");
        assert_eq!(date_time(Timestamp(-1)), "31 December 1969 at 23:59 UTC");
        assert_eq!(month_start(1970, 1), Timestamp(0));
        assert_eq!(month_start(2000, 3), Timestamp(951_868_800));
        assert_eq!(month_name(2026, 11), "November 2026");
        assert_eq!(previous_month(2026, 1), (2025, 12));
        assert_eq!(previous_month(2026, 7), (2026, 6));
        assert_eq!(next_month(2026, 12), (2027, 1));
        assert_eq!(next_month(2026, 7), (2026, 8));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn agrees_with_chrono_every_day_for_four_centuries() {
        use chrono::{Datelike, TimeZone, Timelike, Utc};
        let mut secs = -4_000_000_000i64;
        while secs < 9_000_000_000 {
            let at = Utc.timestamp_opt(secs, 0).unwrap();
            let ts = Timestamp::from(at);
            assert_eq!(
                ts.ymd(),
                (i64::from(at.year()), at.month(), at.day()),
                "{at}"
            );
            assert_eq!(ts.hm(), (i64::from(at.hour()), i64::from(at.minute())));
            let first = Utc
                .with_ymd_and_hms(at.year(), at.month(), 1, 0, 0, 0)
                .unwrap();
            assert_eq!(
                month_start(i64::from(at.year()), at.month()),
                Timestamp::from(first)
            );
            secs += 86_400 + 3_599;
        }
    }
}
