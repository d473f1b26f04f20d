//! CSV for people to open in a spreadsheet: quoted where needed, with
//! formulas neutralised.

/// Quotes a CSV field when it needs it; neutralises spreadsheet formulas.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Appends one record of `fields`, each made safe by [`field`], and its line end.
pub fn push_record(out: &mut String, fields: &[String]) {
    let record: Vec<String> = fields.iter().map(|f| field(f)).collect();
    out.push_str(&record.join(","));
    out.push('\n');
}
