//! Reads an uploaded invitations CSV (`email,role,modules,sub_accounts,kind,
//! access_until`, with a header row; only `email` is required) into candidates. Problems with the whole file are one clear
//! message; problems with a row stay on that row.

use super::invitation_check::{Candidate, SubAccountIndex, single_address};
use crate::domain::invitation::{CSV_HEADER, CsvSource, MAX_CSV_BYTES, MAX_ROWS};
use crate::domain::module;
use crate::domain::role::{MembershipKind, Role};

/// Which column holds each field.
struct Columns {
    email: usize,
    role: Option<usize>,
    modules: Option<usize>,
    sub_accounts: Option<usize>,
    kind: Option<usize>,
    access_until: Option<usize>,
    count: usize,
}

/// Reads the file; a row's kind is its `kind` cell, else partner when the dialog
/// switched it, else the source's kind.
pub fn parse(source: &CsvSource, index: &SubAccountIndex) -> Result<Vec<Candidate>, String> {
    let text = source.text.as_str();
    if text.len() > MAX_CSV_BYTES {
        return Err(format!(
            "The file is {}; the limit is 1 MB (about {} rows). Split it into smaller files.",
            size_label(text.len()),
            group(MAX_ROWS)
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains(['\u{0}', '\u{fffd}']) {
        return Err(
            "This file is not a CSV text file. Save the spreadsheet as CSV (UTF-8) and upload that."
                .into(),
        );
    }
    if text.trim().is_empty() {
        return Err(format!(
            "The file is empty. It needs the header row {} and one row per person.",
            CSV_HEADER.join(",")
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => return Err(format!("The header row cannot be read: {e}.")),
        None => return Err("The file is empty.".into()),
    };
    let columns = columns(&header)?;
    let mut candidates = Vec::new();
    // Line numbers as a spreadsheet shows them, blank lines included (the CSV
    // reader skips those): counted from each record's byte offset.
    let mut lines = LineCounter::new(text);
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| lines.at(p.byte())).unwrap_or(0);
                return Err(format!("Row {line} cannot be read: {e}."));
            }
        };
        let line = record.position().map(|p| lines.at(p.byte())).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        if candidates.len() == MAX_ROWS {
            return Err(format!(
                "The file has more than {} rows; invite at most {} people at once. Split it into smaller files.",
                group(MAX_ROWS),
                group(MAX_ROWS)
            ));
        }
        let mut candidate = candidate(line, &record, &columns, source.kind, index);
        if source.partner_rows.contains(&line) {
            candidate.kind = Ok(MembershipKind::Partner);
        }
        candidate.restore = source.restore_rows.contains(&line);
        candidates.push(candidate);
    }
    if candidates.is_empty() {
        return Err("The file has a header but no rows: add one row per person.".into());
    }
    Ok(candidates)
}

/// Turns increasing byte offsets into 1-based line numbers.
struct LineCounter<'a> {
    text: &'a str,
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            text,
            byte: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> usize {
        // A record's position can be the blank lines before it: skip them.
        let bytes = self.text.as_bytes();
        let mut byte = (byte as usize).min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\n' | b'\r') {
            byte += 1;
        }
        if byte >= self.byte {
            self.line += bytes[self.byte..byte]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.byte = byte;
        }
        self.line
    }
}

fn columns(header: &csv::StringRecord) -> Result<Columns, String> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let expected = CSV_HEADER.join(",");
    if names.iter().any(|n| n.contains('@')) {
        return Err(format!(
            "The first row must be the header {expected}; it holds an address instead."
        ));
    }
    let mut email = None;
    let (mut role, mut modules, mut sub_accounts) = (None, None, None);
    let (mut kind, mut access_until) = (None, None);
    for (i, name) in names.iter().enumerate() {
        let slot = match name.as_str() {
            "email" => &mut email,
            "role" => &mut role,
            "modules" => &mut modules,
            "sub_accounts" => &mut sub_accounts,
            "kind" => &mut kind,
            "access_until" => &mut access_until,
            "" => continue,
            other => {
                return Err(format!(
                    "Unknown column \"{other}\" in the header: the columns are {expected}."
                ));
            }
        };
        if slot.is_some() {
            return Err(format!(
                "The column \"{name}\" appears twice in the header."
            ));
        }
        *slot = Some(i);
    }
    let email =
        email.ok_or_else(|| format!("The header has no \"email\" column: use {expected}."))?;
    Ok(Columns {
        email,
        role,
        modules,
        sub_accounts,
        kind,
        access_until,
        count: names.len(),
    })
}

fn candidate(
    line: usize,
    record: &csv::StringRecord,
    columns: &Columns,
    default_kind: MembershipKind,
    index: &SubAccountIndex,
) -> Candidate {
    let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
    let input = cell(Some(columns.email)).to_string();
    let mut email = single_address(&input);
    if record.len() > columns.count {
        email = Err(format!(
            "This row has {} cells but the header has {}: quote values that contain commas.",
            record.len(),
            columns.count
        ));
    }
    let role_cell = cell(columns.role);
    let role = if role_cell.is_empty() {
        Ok(Role::User)
    } else {
        Role::parse(&role_cell.to_lowercase().replace([' ', '-'], "_")).ok_or_else(|| {
            format!("Unknown role \"{role_cell}\". Roles: owner, admin, billing_admin, user.")
        })
    };
    let kind_cell = cell(columns.kind);
    let kind = if kind_cell.is_empty() {
        Ok(default_kind)
    } else {
        MembershipKind::parse(&kind_cell.to_lowercase()).ok_or_else(|| {
            format!(
                "Unknown kind \"{kind_cell}\". Kinds: team, partner (empty: {}).",
                default_kind.as_str()
            )
        })
    };
    Candidate {
        row: line,
        input,
        email,
        kind,
        access_until: cell(columns.access_until).to_string(),
        role,
        modules: module::parse_list(cell(columns.modules)),
        sub_accounts: index.resolve_names(cell(columns.sub_accounts)),
        restore: false,
    }
}

/// 10,000
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn size_label(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_048_576.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sub_account::SubAccount;
    use uuid::Uuid;

    fn team(text: &str) -> CsvSource {
        CsvSource::new(text.into(), MembershipKind::Team)
    }

    fn index() -> SubAccountIndex {
        SubAccountIndex::new(vec![SubAccount {
            id: Uuid::from_u128(1),
            name: "North".into(),
            archived: false,
            created_at: crate::domain::time::Timestamp(0),
        }])
    }

    #[test]
    fn reads_rows_with_bom_quotes_and_defaults() {
        let text = "\u{feff}email,role,modules,sub_accounts\nana@x.com,admin,,\n\"Lopez, Bo <bo@x.com>\",user,\"contacts;partners\",North\n\ncy@x.com\n";
        let rows = parse(&team(text), &index()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].role, Ok(Role::Admin));
        assert_eq!(rows[1].email.as_ref().unwrap().as_str(), "bo@x.com");
        assert_eq!(rows[1].modules.as_ref().unwrap().len(), 2);
        assert_eq!(rows[1].sub_accounts, Ok(Some(vec![Uuid::from_u128(1)])));
        assert_eq!(rows[2].row, 5);
        assert_eq!(rows[2].role, Ok(Role::User));
        assert_eq!(rows[2].sub_accounts, Ok(None));
    }

    #[test]
    fn whole_file_problems_have_their_own_messages() {
        let err = |text: &str| parse(&team(text), &index()).unwrap_err();
        assert!(err("").starts_with("The file is empty"));
        assert!(err("\u{0}\u{1}PK").contains("not a CSV text file"));
        assert!(err("ana@x.com,admin\n").contains("holds an address instead"));
        assert!(err("mail,role\nana@x.com,admin\n").contains("Unknown column \"mail\""));
        assert!(err("role\nadmin\n").contains("no \"email\" column"));
        assert!(err("email,role\n").contains("no rows"));
        let big = format!("email\n{}", "a@x.com\n".repeat(140_000));
        assert!(err(&big).contains("the limit is 1 MB"));
        let many = format!("email\n{}", "a@x.co\n".repeat(MAX_ROWS + 1));
        assert!(err(&many).contains("more than 10,000 rows"));
    }

    #[test]
    fn row_problems_stay_on_their_row() {
        let text = "email,role,modules,sub_accounts\nana@x.com,chief,,\nbo@x.com,user,pricing,\ncy@x.com,user,,Elsewhere\ndi@x.com,user,,,extra\n";
        let rows = parse(&team(text), &index()).unwrap();
        assert!(
            rows[0]
                .role
                .as_ref()
                .unwrap_err()
                .contains("Unknown role \"chief\"")
        );
        assert!(
            rows[1]
                .modules
                .as_ref()
                .unwrap_err()
                .contains("\"pricing\"")
        );
        assert!(
            rows[2]
                .sub_accounts
                .as_ref()
                .unwrap_err()
                .contains("\"Elsewhere\"")
        );
        assert!(rows[3].email.as_ref().unwrap_err().contains("5 cells"));
    }

    #[test]
    fn kinds_come_from_the_cell_the_dialog_or_the_default() {
        let text =
            "email,kind\nana@x.com,Partner\nbo@x.com,team\ncy@x.com,\ndi@x.com,\neve@x.com,staff\n";
        let source = CsvSource {
            text: text.into(),
            kind: MembershipKind::Team,
            partner_rows: vec![5],
            restore_rows: vec![],
        };
        let rows = parse(&source, &index()).unwrap();
        let kinds: Vec<_> = rows.iter().map(|r| r.kind.clone()).collect();
        assert_eq!(kinds[0], Ok(MembershipKind::Partner));
        assert_eq!(kinds[1], Ok(MembershipKind::Team));
        assert_eq!(kinds[2], Ok(MembershipKind::Team));
        // Line 5 was switched to partner after a check.
        assert_eq!(kinds[3], Ok(MembershipKind::Partner));
        assert!(
            kinds[4]
                .as_ref()
                .unwrap_err()
                .contains("Unknown kind \"staff\"")
        );
        let partners = CsvSource::new("email\nana@x.com\n".into(), MembershipKind::Partner);
        assert_eq!(
            parse(&partners, &index()).unwrap()[0].kind,
            Ok(MembershipKind::Partner)
        );
    }
}
