//! One page of a server-side paginated list.

use serde::{Deserialize, Serialize};

pub const PAGE_SIZE: u32 = 25;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match, across every page.
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u32 {
        (self.total.div_ceil(u64::from(self.page_size.max(1))) as u32).max(1)
    }
}

/// "1 member", "3 members", "0 members".
pub fn count_label(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        let page = |total| Page::<()> {
            items: vec![],
            total,
            page: 1,
            page_size: 25,
        };
        assert_eq!(page(0).pages(), 1);
        assert_eq!(page(25).pages(), 1);
        assert_eq!(page(26).pages(), 2);
        assert_eq!(count_label(1, "member"), "1 member");
        assert_eq!(count_label(0, "event"), "0 events");
    }
}
