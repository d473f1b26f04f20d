//! A partner's access end date: the last day they may work in an organization.
//! People choose a day; access ends when the next day starts (UTC). Pure, so the
//! browser and the server read dates alike.

use super::time::{Timestamp, month_start};

/// How long before the end the partner and the admins are told.
pub const REMINDER_DAYS: i64 = 7;
/// The furthest ahead an end may be set.
pub const MAX_YEARS_AHEAD: i64 = 5;
/// What "Extend" adds to the current last day.
pub const EXTENSION_DAYS: i64 = 30;
/// The inactivity policies an organization can choose: a partner's access ends
/// after this many days without activity there (none: never).
pub const INACTIVITY_CHOICES: [i64; 4] = [30, 60, 90, 180];

/// Reads the inactivity policy as the Settings form sends it: empty for none,
/// or one of [`INACTIVITY_CHOICES`].
pub fn inactivity_choice(text: &str) -> Result<Option<i64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>()
        .ok()
        .filter(|days| INACTIVITY_CHOICES.contains(days))
        .map(Some)
        .ok_or_else(|| "Choose never, or 30, 60, 90 or 180 days.".to_string())
}

const DAY: i64 = 86_400;

/// The instant access ends for `last_day` (a day's first instant): the start of
/// the next day.
pub fn ends_at(last_day: Timestamp) -> Timestamp {
    Timestamp(last_day.0.div_euclid(DAY) * DAY + DAY)
}

/// The last day of access (its first instant) for an access that ends at `ends`.
pub fn last_day(ends: Timestamp) -> Timestamp {
    Timestamp((ends.0 - 1).div_euclid(DAY) * DAY)
}

/// "2027-03-31", as a date input holds it.
pub fn iso_day(day: Timestamp) -> String {
    let (year, month, day) = day.ymd();
    format!("{year:04}-{month:02}-{day:02}")
}

/// Reads a date input's `YYYY-MM-DD` as a day's first instant.
pub fn parse_day(text: &str) -> Option<Timestamp> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1970..=9999).contains(&year) {
        return None;
    }
    let at = Timestamp(month_start(year, month).0 + i64::from(day - 1) * DAY);
    // 31 April becomes 1 May: refuse it rather than move it.
    (at.ymd() == (year, month, day)).then_some(at)
}

/// Checks a chosen last day at `now`: empty means no end. Returns the instant
/// access ends, or the message to show next to the field.
pub fn choose(text: &str, now: Timestamp) -> Result<Option<Timestamp>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let day = parse_day(text)
        .ok_or_else(|| "Enter the last day of access as a date, like 2027-03-31.".to_string())?;
    let today = Timestamp(now.0.div_euclid(DAY) * DAY);
    if day < today {
        return Err(format!(
            "{} is in the past: choose today or a later day.",
            super::time::date(day)
        ));
    }
    let (year, month, dom) = today.ymd();
    let limit = parse_day(&format!(
        "{:04}-{month:02}-{dom:02}",
        year + MAX_YEARS_AHEAD
    ))
    .unwrap_or_else(|| Timestamp(today.0 + (365 * MAX_YEARS_AHEAD + 1) * DAY));
    if day > limit {
        return Err(format!(
            "Choose a last day within {MAX_YEARS_AHEAD} years, by {} at the latest.",
            super::time::date(limit)
        ));
    }
    Ok(Some(ends_at(day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Timestamp {
        parse_day(text).unwrap()
    }

    #[test]
    fn days_read_and_print_alike() {
        assert_eq!(iso_day(day("2027-03-31")), "2027-03-31");
        assert_eq!(iso_day(day("2028-02-29")), "2028-02-29");
        for bad in [
            "2027-04-31",
            "2027-02-29",
            "2027-13-01",
            "31/03/2027",
            "",
            "2027-3",
            "x-y-z",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn access_ends_when_the_day_after_the_last_day_starts() {
        let last = day("2026-12-31");
        assert_eq!(ends_at(last), day("2027-01-01"));
        assert_eq!(last_day(ends_at(last)), last);
        // An end set at any time of a day still names that day's eve.
        assert_eq!(
            last_day(Timestamp(day("2027-01-01").0 + 3_600)),
            day("2027-01-01")
        );
    }

    #[test]
    fn a_chosen_day_is_today_or_later_and_within_five_years() {
        let now = Timestamp(day("2026-12-02").0 + 15 * 3_600);
        assert_eq!(choose("", now), Ok(None));
        assert_eq!(choose("2026-12-02", now), Ok(Some(day("2026-12-03"))));
        assert_eq!(choose("2031-12-02", now), Ok(Some(day("2031-12-03"))));
        assert!(
            choose("2026-12-01", now)
                .unwrap_err()
                .contains("in the past")
        );
        assert!(
            choose("2031-12-03", now)
                .unwrap_err()
                .contains("within 5 years, by 2 December 2031")
        );
        assert!(
            choose("tomorrow", now)
                .unwrap_err()
                .contains("like 2027-03-31")
        );
    }
}
