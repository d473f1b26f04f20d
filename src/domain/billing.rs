//! The Billing module: the organization's billing details and its seat usage,
//! now and month by month.

use super::email::EmailAddress;
use super::time::{Timestamp, month_start, next_month, previous_month};
use serde::{Deserialize, Serialize};

/// Who receives the bills, where, with which tax ID.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingDetails {
    pub contact_name: String,
    pub contact_email: String,
    pub address: String,
    pub tax_id: String,
    /// Changes carry it back; a stale one is refused. 0: never saved.
    pub version: i64,
}

/// Seats held at one time, or during one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCounts {
    pub team_members: u32,
    pub partners: u32,
    pub pending_invitations: u32,
}

/// The seats of one calendar month (UTC): everyone who held one at any time in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatMonth {
    pub year: i64,
    pub month: u32,
    pub seats: SeatCounts,
}

impl SeatMonth {
    /// "2026-11"
    pub fn key(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }
}

/// The Billing page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingOverview {
    pub details: BillingDetails,
    pub now: SeatCounts,
    /// Newest month first.
    pub months: Vec<SeatMonth>,
}

/// A stretch of time something held a seat: `[start, end)`, open when `end` is `None`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stretch {
    /// Whose seat, so two stretches of one person in a month count once.
    pub holder: u128,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
}

/// What held seats: team members, partners and pending invitations.
#[derive(Clone, Debug, Default)]
pub struct SeatHistory {
    pub team_members: Vec<Stretch>,
    pub partners: Vec<Stretch>,
    pub pending_invitations: Vec<Stretch>,
}

/// The months from the one holding `first` to the one holding `now` (at most
/// `limit`, the newest kept), newest first, with everyone who held a seat in each.
pub fn monthly(
    history: &SeatHistory,
    first: Timestamp,
    now: Timestamp,
    limit: usize,
) -> Vec<SeatMonth> {
    let (mut year, mut month, _) = now.ymd();
    let (first_year, first_month, _) = first.ymd();
    let mut months = Vec::new();
    while months.len() < limit && (year, month) >= (first_year, first_month) {
        let start = month_start(year, month);
        let (next_year, next) = next_month(year, month);
        let end = month_start(next_year, next);
        let count = |stretches: &[Stretch]| {
            let mut holders: Vec<u128> = stretches
                .iter()
                .filter(|s| s.start < end && s.end.is_none_or(|e| e > start))
                .map(|s| s.holder)
                .collect();
            holders.sort_unstable();
            holders.dedup();
            holders.len() as u32
        };
        months.push(SeatMonth {
            year,
            month,
            seats: SeatCounts {
                team_members: count(&history.team_members),
                partners: count(&history.partners),
                pending_invitations: count(&history.pending_invitations),
            },
        });
        (year, month) = previous_month(year, month);
    }
    months
}

/// The months as CSV, newest first.
pub fn months_csv(months: &[SeatMonth]) -> String {
    let mut out = String::from("month,team_members,partners,pending_invitations,total\n");
    for m in months {
        let s = m.seats;
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            m.key(),
            s.team_members,
            s.partners,
            s.pending_invitations,
            s.team_members + s.partners + s.pending_invitations
        ));
    }
    out
}

/// The details with surrounding spaces gone, or the message for each field that is wrong.
pub fn check_details(
    details: &BillingDetails,
) -> Result<BillingDetails, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let contact_name = details.contact_name.trim().to_string();
    if contact_name.chars().count() > 100 {
        errors.push((
            "contact_name",
            "Keep the contact's name under 100 characters.".to_string(),
        ));
    }
    let contact_email = details.contact_email.trim();
    let contact_email = if contact_email.is_empty() {
        String::new()
    } else {
        match EmailAddress::parse(contact_email) {
            Ok(address) => address.as_str().to_string(),
            Err(e) => {
                errors.push(("contact_email", e.message().to_string()));
                String::new()
            }
        }
    };
    let address = details
        .address
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string();
    if address.chars().count() > 500 || address.lines().count() > 8 {
        errors.push((
            "address",
            "Keep the address to 8 lines and 500 characters.".to_string(),
        ));
    }
    let tax_id = details.tax_id.trim().to_string();
    if !tax_id.is_empty() {
        if tax_id.chars().count() > 32 {
            errors.push(("tax_id", "A tax ID has at most 32 characters.".to_string()));
        } else if let Some(bad) = tax_id
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.' | '/')))
        {
            errors.push((
                "tax_id",
                format!("A tax ID holds letters, digits, spaces, '-', '.' and '/', not '{bad}'."),
            ));
        } else if !tax_id.chars().any(|c| c.is_ascii_digit()) {
            errors.push((
                "tax_id",
                "A tax ID contains digits, such as DE123456789.".to_string(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(BillingDetails {
            contact_name,
            contact_email,
            address,
            tax_id,
            version: details.version,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i64, month: u32, day: i64) -> Timestamp {
        Timestamp(month_start(year, month).0 + (day - 1) * 86_400)
    }

    fn stretch(holder: u128, start: Timestamp, end: Option<Timestamp>) -> Stretch {
        Stretch { holder, start, end }
    }

    #[test]
    fn months_count_everyone_who_held_a_seat_in_them_once() {
        let history = SeatHistory {
            // 1: since September; 2: October only; 3: left and came back in October.
            team_members: vec![
                stretch(1, at(2026, 9, 3), None),
                stretch(2, at(2026, 10, 1), Some(at(2026, 11, 1))),
                stretch(3, at(2026, 9, 20), Some(at(2026, 10, 5))),
                stretch(3, at(2026, 10, 9), Some(at(2026, 10, 12))),
            ],
            partners: vec![stretch(7, at(2026, 11, 30), None)],
            pending_invitations: vec![stretch(9, at(2026, 10, 30), Some(at(2026, 11, 2)))],
        };
        let months = monthly(&history, at(2026, 9, 1), at(2026, 11, 15), 24);
        let keys: Vec<String> = months.iter().map(SeatMonth::key).collect();
        assert_eq!(keys, ["2026-11", "2026-10", "2026-09"]);
        let seats: Vec<(u32, u32, u32)> = months
            .iter()
            .map(|m| {
                (
                    m.seats.team_members,
                    m.seats.partners,
                    m.seats.pending_invitations,
                )
            })
            .collect();
        // An end on the first instant of November is not a seat in November.
        assert_eq!(seats, [(1, 1, 1), (3, 0, 1), (2, 0, 0)]);
        assert_eq!(
            monthly(&history, at(2024, 1, 1), at(2026, 11, 15), 12).len(),
            12
        );
        assert_eq!(
            monthly(&history, at(2026, 1, 1), at(2026, 1, 15), 24)[0].key(),
            "2026-01"
        );
        let from_december = monthly(&history, at(2025, 12, 31), at(2026, 1, 2), 24);
        assert_eq!(from_december.len(), 2);
        assert_eq!(from_december[1].key(), "2025-12");
    }

    #[test]
    fn csv_has_a_row_per_month_with_totals() {
        let months = vec![SeatMonth {
            year: 2026,
            month: 3,
            seats: SeatCounts {
                team_members: 4,
                partners: 2,
                pending_invitations: 1,
            },
        }];
        assert_eq!(
            months_csv(&months),
            "month,team_members,partners,pending_invitations,total\n2026-03,4,2,1,7\n"
        );
    }

    #[test]
    fn details_are_trimmed_and_each_bad_field_named() {
        let good = check_details(&BillingDetails {
            contact_name: " Bea Bills ".into(),
            contact_email: " Bea@Example.com ".into(),
            address: " 1 Main St \n  Springfield ".into(),
            tax_id: "DE 123/456.78-9".into(),
            version: 3,
        })
        .unwrap();
        assert_eq!(good.contact_name, "Bea Bills");
        assert_eq!(good.address, "1 Main St\nSpringfield");
        assert_eq!(good.version, 3);
        let bad = check_details(&BillingDetails {
            contact_email: "not-an-address".into(),
            tax_id: "DE12;34".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["contact_email", "tax_id"]);
        assert!(bad[1].1.contains("not ';'"), "{}", bad[1].1);
        let letters = check_details(&BillingDetails {
            tax_id: "ABCDEF".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert!(letters[0].1.contains("digits"));
        assert!(check_details(&BillingDetails::default()).is_ok());
    }
}
