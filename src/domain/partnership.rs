//! Partnerships between organizations (seed 004, DESIGN.md "Organization
//! partnerships"): the state of one relationship, the moves each side may make
//! and what each side sees. Pure rules; the service applies them in one
//! transaction and the database keeps one live relationship per pair.

use super::page::Page;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a relationship stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartnershipStatus {
    Pending,
    Accepted,
    Rejected,
}

impl PartnershipStatus {
    pub const ALL: [PartnershipStatus; 3] = [
        PartnershipStatus::Pending,
        PartnershipStatus::Accepted,
        PartnershipStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnershipStatus::Pending => "pending",
            PartnershipStatus::Accepted => "accepted",
            PartnershipStatus::Rejected => "rejected",
        }
    }

    pub fn parse(value: &str) -> Option<PartnershipStatus> {
        PartnershipStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// Which end of a relationship an organization is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    /// The organization that sent the request.
    Requester,
    /// The organization it addressed.
    Recipient,
}

impl Side {
    pub const ALL: [Side; 2] = [Side::Requester, Side::Recipient];

    pub fn as_str(self) -> &'static str {
        match self {
            Side::Requester => "requester",
            Side::Recipient => "recipient",
        }
    }

    pub fn parse(value: &str) -> Option<Side> {
        Side::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn other(self) -> Side {
        match self {
            Side::Requester => Side::Recipient,
            Side::Recipient => Side::Requester,
        }
    }
}

/// What happened to a relationship: a line of its timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PartnershipEvent {
    Sent,
    Accepted,
    Rejected,
    Deleted,
    /// The other organization was deleted.
    Ended,
}

impl PartnershipEvent {
    pub const ALL: [PartnershipEvent; 5] = [
        PartnershipEvent::Sent,
        PartnershipEvent::Accepted,
        PartnershipEvent::Rejected,
        PartnershipEvent::Deleted,
        PartnershipEvent::Ended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PartnershipEvent::Sent => "sent",
            PartnershipEvent::Accepted => "accepted",
            PartnershipEvent::Rejected => "rejected",
            PartnershipEvent::Deleted => "deleted",
            PartnershipEvent::Ended => "ended",
        }
    }

    pub fn parse(value: &str) -> Option<PartnershipEvent> {
        PartnershipEvent::ALL
            .into_iter()
            .find(|e| e.as_str() == value)
    }

    /// The event as the timeline says it, after the organization's name.
    pub fn verb(self) -> &'static str {
        match self {
            PartnershipEvent::Sent => "sent the request",
            PartnershipEvent::Accepted => "accepted",
            PartnershipEvent::Rejected => "rejected and ignored",
            PartnershipEvent::Deleted => "deleted the relationship",
            PartnershipEvent::Ended => "was deleted; the relationship ended",
        }
    }
}

/// The state of a live relationship.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Relationship {
    pub status: PartnershipStatus,
    pub requester_holds: bool,
    pub recipient_holds: bool,
}

impl Relationship {
    /// A request just sent: pending, held by both.
    pub const SENT: Relationship = Relationship {
        status: PartnershipStatus::Pending,
        requester_holds: true,
        recipient_holds: true,
    };

    pub fn holds(self, side: Side) -> bool {
        match side {
            Side::Requester => self.requester_holds,
            Side::Recipient => self.recipient_holds,
        }
    }

    /// Whether `side` may read a timeline line that `actor` caused in this
    /// state: its own lines always, the other side's while it held it.
    pub fn sees(self, side: Side, actor: Side) -> bool {
        side == actor || self.holds(side)
    }
}

/// A move an organization makes on a relationship it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Move {
    Accept,
    Reject,
    Delete,
}

impl Move {
    /// The button that makes the move.
    pub fn label(self) -> &'static str {
        match self {
            Move::Accept => "Accept",
            Move::Reject => "Reject and ignore",
            Move::Delete => "Delete",
        }
    }

    pub fn event(self) -> PartnershipEvent {
        match self {
            Move::Accept => PartnershipEvent::Accepted,
            Move::Reject => PartnershipEvent::Rejected,
            Move::Delete => PartnershipEvent::Deleted,
        }
    }
}

/// A relationship after a move: still live (held by at least one side), or
/// gone from both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum After {
    Live(Relationship),
    Gone,
}

/// Why a move is refused. Nothing changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The side does not hold it (deleted it already): it is not in its lists.
    NotYours,
    /// Only the organization that received the request answers it.
    OnlyRecipientAnswers,
    AlreadyPartners,
    AlreadyRejected,
    /// A rejected request is acceptable only while its sender still holds it.
    SenderDeleted,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::NotYours => "This relationship is not in your organization's lists any more.",
            Refusal::OnlyRecipientAnswers => {
                "Only the organization that received this request can accept or reject it."
            }
            Refusal::AlreadyPartners => "Your organizations are partners already.",
            Refusal::AlreadyRejected => "This request was rejected already.",
            Refusal::SenderDeleted => {
                "The organization that sent this request has deleted it, so it can no longer be accepted. Delete it, then send a request of your own."
            }
        }
    }
}

/// The table of DESIGN.md: what `mv` by `side` does to `rel`.
pub fn apply(rel: Relationship, side: Side, mv: Move) -> Result<After, Refusal> {
    use PartnershipStatus::*;
    if !rel.holds(side) {
        return Err(Refusal::NotYours);
    }
    match (mv, side, rel.status) {
        (Move::Accept | Move::Reject, Side::Requester, _) => Err(Refusal::OnlyRecipientAnswers),
        (Move::Accept | Move::Reject, Side::Recipient, Accepted) => Err(Refusal::AlreadyPartners),
        (Move::Accept, Side::Recipient, Pending) => Ok(After::Live(Relationship {
            status: Accepted,
            ..rel
        })),
        (Move::Accept, Side::Recipient, Rejected) if rel.requester_holds => {
            Ok(After::Live(Relationship {
                status: Accepted,
                ..rel
            }))
        }
        (Move::Accept, Side::Recipient, Rejected) => Err(Refusal::SenderDeleted),
        (Move::Reject, Side::Recipient, Pending) => Ok(After::Live(Relationship {
            status: Rejected,
            ..rel
        })),
        (Move::Reject, Side::Recipient, Rejected) => Err(Refusal::AlreadyRejected),
        (Move::Delete, Side::Requester, Pending | Accepted) => Ok(After::Gone),
        (Move::Delete, Side::Recipient, Pending | Accepted) => Ok(After::Live(Relationship {
            status: Rejected,
            recipient_holds: false,
            ..rel
        })),
        (Move::Delete, side, Rejected) => {
            let after = match side {
                Side::Requester => Relationship {
                    requester_holds: false,
                    ..rel
                },
                Side::Recipient => Relationship {
                    recipient_holds: false,
                    ..rel
                },
            };
            Ok(if after.requester_holds || after.recipient_holds {
                After::Live(after)
            } else {
                After::Gone
            })
        }
    }
}

/// Why a new request is refused, given the live relationship between the two
/// organizations (seen from the one that sends).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// The addressed organization is the sender's own.
    OwnOrganization,
    /// A request from the sender is waiting already.
    AlreadySent,
    /// The other organization asked first and waits for an answer: accept
    /// that one instead.
    TheyAsked,
    AlreadyPartners,
    /// The other side rejected the sender's request (or deleted the
    /// relationship); it blocks until both sides have deleted it.
    RejectedByThem,
    /// The sender rejected the other side's request and still holds it.
    RejectedByYou,
    /// The sender rejected (or deleted) the other side's request and deleted
    /// it; the other side still holds it.
    HeldByThem,
}

impl Blocked {
    pub fn message(self) -> &'static str {
        match self {
            Blocked::OwnOrganization => {
                "This address belongs to your own organization. Type the email of someone in the organization you want to partner with."
            }
            Blocked::AlreadySent => {
                "Your organization already sent a request to the organization of this address; it is waiting for an answer."
            }
            Blocked::TheyAsked => {
                "This organization already asked to partner with yours. Accept its request instead."
            }
            Blocked::AlreadyPartners => "Your organizations are partners already.",
            Blocked::RejectedByThem => {
                "The organization of this address rejected a partnership with yours. A new request is possible only once both organizations have deleted the rejected one."
            }
            Blocked::RejectedByYou => {
                "Your organization rejected a request from this organization. Delete it from your Rejected list first, then send a request of your own."
            }
            Blocked::HeldByThem => {
                "This organization still holds the request it sent yours, which your organization rejected. A new request is possible once it has deleted it."
            }
        }
    }
}

/// Whether an organization may send a request to another with which it has
/// the live relationship `rel`, where it is `side`.
pub fn may_send(rel: Relationship, side: Side) -> Result<(), Blocked> {
    use PartnershipStatus::*;
    Err(match (rel.status, side) {
        (Pending, Side::Requester) => Blocked::AlreadySent,
        (Pending, Side::Recipient) => Blocked::TheyAsked,
        (Accepted, _) => Blocked::AlreadyPartners,
        (Rejected, Side::Requester) => Blocked::RejectedByThem,
        // A request they sent and this side rejected: this side still holds it
        // (or only they do, and it is theirs to delete).
        (Rejected, Side::Recipient) if rel.recipient_holds => Blocked::RejectedByYou,
        (Rejected, Side::Recipient) => Blocked::HeldByThem,
    })
}

/// Which list of its Partners page a relationship is in, for `side` (which
/// holds it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Listed {
    Received,
    Sent,
    Partner,
    Rejected,
}

impl Listed {
    pub const ALL: [Listed; 4] = [
        Listed::Received,
        Listed::Sent,
        Listed::Partner,
        Listed::Rejected,
    ];
}

pub fn listed(status: PartnershipStatus, side: Side) -> Listed {
    match (status, side) {
        (PartnershipStatus::Pending, Side::Recipient) => Listed::Received,
        (PartnershipStatus::Pending, Side::Requester) => Listed::Sent,
        (PartnershipStatus::Accepted, _) => Listed::Partner,
        (PartnershipStatus::Rejected, _) => Listed::Rejected,
    }
}

/// One relationship as one side's Partners page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnershipView {
    pub id: Uuid,
    /// What the page sends back with a move: a change meanwhile refuses it.
    pub version: i64,
    pub side: Side,
    pub status: PartnershipStatus,
    /// The other organization's name; `None` while this side's request waits
    /// (its name would tell whether, and where, the address has an organization).
    pub organization: Option<String>,
    /// The address the request was sent to (the sender's side only).
    pub address: Option<String>,
    /// Who sent it, as "Name (email)" for the receiving side and the name for
    /// the sending side.
    pub sent_by: Option<String>,
    pub sent_at: Timestamp,
    pub answered_by: Option<String>,
    pub answered_at: Option<Timestamp>,
}

impl PartnershipView {
    pub fn listed(&self) -> Listed {
        listed(self.status, self.side)
    }

    /// The status as a person reads it.
    pub fn status_words(&self) -> String {
        match self.listed() {
            Listed::Received => "Waiting for your answer".into(),
            Listed::Sent => "Sent – awaiting approval".into(),
            Listed::Partner => match self.answered_at {
                Some(at) => format!("Partner since {}", super::time::date(at)),
                None => "Partner".into(),
            },
            Listed::Rejected => "Rejected".into(),
        }
    }

    /// The other organization, or the address while its name is not shown.
    pub fn title(&self) -> String {
        self.organization
            .clone()
            .or_else(|| self.address.clone())
            .unwrap_or_else(|| "A deleted organization".into())
    }

    /// What a move does, said before it is made: what the other side will see.
    pub fn confirmation(&self, mv: Move) -> String {
        let other = self.title();
        match (mv, self.listed()) {
            (Move::Accept, _) => format!(
                "Accept the partnership with {other}? Both organizations will see each other's people in Contacts, and {other} is told by email."
            ),
            (Move::Reject, _) => format!(
                "Reject and ignore the request from {other}? {other} sees it as Rejected, is told by email, and cannot send another request until both organizations have deleted this one."
            ),
            (Move::Delete, Listed::Received) => format!(
                "Delete the request from {other}? It leaves your lists, and {other} sees it as Rejected."
            ),
            (Move::Delete, Listed::Sent) => format!(
                "Withdraw the request to {other}? It disappears for both organizations, and you can send a new one later."
            ),
            (Move::Delete, Listed::Partner) if self.side == Side::Requester => format!(
                "End the partnership with {other}? It disappears for both organizations, your people leave each other's Contacts, and {other} is told by email."
            ),
            (Move::Delete, Listed::Partner) => format!(
                "End the partnership with {other}? It leaves your lists, your people leave each other's Contacts, and {other} sees it as Rejected and is told by email."
            ),
            (Move::Delete, Listed::Rejected) => format!(
                "Delete this rejected relationship from your lists? {other} keeps seeing it until it deletes it too; a new request between you is possible once both have."
            ),
        }
    }

    /// The moves its page offers.
    pub fn moves(&self) -> &'static [Move] {
        match self.listed() {
            Listed::Received => &[Move::Accept, Move::Reject, Move::Delete],
            Listed::Rejected if self.side == Side::Recipient => &[Move::Accept, Move::Delete],
            _ => &[Move::Delete],
        }
    }
}

/// The Partners page: one page of each of one side's four lists, and whether
/// the viewer may act.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partnerships {
    pub received: Page<PartnershipView>,
    pub sent: Page<PartnershipView>,
    pub partners: Page<PartnershipView>,
    pub rejected: Page<PartnershipView>,
    /// Owners, admins and billing admins act; others only look.
    pub may_act: bool,
}

impl Partnerships {
    pub fn list(&self, which: Listed) -> &Page<PartnershipView> {
        match which {
            Listed::Received => &self.received,
            Listed::Sent => &self.sent,
            Listed::Partner => &self.partners,
            Listed::Rejected => &self.rejected,
        }
    }
}

/// Which page of each list the Partners page shows (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ListPages {
    pub received: u32,
    pub sent: u32,
    pub partners: u32,
    pub rejected: u32,
}

impl Default for ListPages {
    fn default() -> ListPages {
        ListPages {
            received: 1,
            sent: 1,
            partners: 1,
            rejected: 1,
        }
    }
}

impl ListPages {
    pub fn of(&self, which: Listed) -> u32 {
        match which {
            Listed::Received => self.received,
            Listed::Sent => self.sent,
            Listed::Partner => self.partners,
            Listed::Rejected => self.rejected,
        }
        .max(1)
    }
}

/// Rows per page of each Partners list.
pub const LIST_PAGE_SIZE: u32 = 20;

/// What sending a request did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SendOutcome {
    /// Sent (or, for an address with no organization, recorded and the
    /// address invited to create one: the sender cannot tell which).
    Sent,
    /// The other organization asked first: the page offers to accept that.
    TheyAsked {
        id: Uuid,
        version: i64,
        organization: String,
    },
}

/// A line of an organization's partnership timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: Timestamp,
    /// The other organization, or the address while its name is not shown.
    pub relationship: String,
    pub event: PartnershipEvent,
    /// The organization that acted (as the viewer may know it).
    pub organization: String,
    /// The person who acted, when the viewer may know it.
    pub by: Option<String>,
    /// Whether the viewer's own organization acted.
    pub ours: bool,
}

impl TimelineEntry {
    /// The line as people read it: "Alpha (Ada Admin) sent the request".
    pub fn sentence(&self) -> String {
        match &self.by {
            Some(by) => format!("{} ({by}) {}", self.organization, self.event.verb()),
            None => format!("{} {}", self.organization, self.event.verb()),
        }
    }
}

/// The timeline as a CSV file (RFC 4180; cells that a spreadsheet would read
/// as a formula are neutralised by [`super::csv::push_record`]).
pub fn timeline_csv(entries: &[TimelineEntry]) -> String {
    let mut out = String::new();
    super::csv::push_record(
        &mut out,
        &["when", "relationship", "organization", "person", "event"].map(String::from),
    );
    for e in entries {
        super::csv::push_record(
            &mut out,
            &[
                super::time::date_time(e.at),
                e.relationship.clone(),
                e.organization.clone(),
                e.by.clone().unwrap_or_default(),
                e.event.verb().to_string(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use PartnershipStatus::*;

    fn rel(
        status: PartnershipStatus,
        requester_holds: bool,
        recipient_holds: bool,
    ) -> Relationship {
        Relationship {
            status,
            requester_holds,
            recipient_holds,
        }
    }

    #[test]
    fn names_round_trip() {
        for s in PartnershipStatus::ALL {
            assert_eq!(PartnershipStatus::parse(s.as_str()), Some(s));
        }
        for s in Side::ALL {
            assert_eq!(Side::parse(s.as_str()), Some(s));
        }
        for e in PartnershipEvent::ALL {
            assert_eq!(PartnershipEvent::parse(e.as_str()), Some(e));
        }
    }

    #[test]
    fn the_recipient_answers_a_pending_request() {
        let sent = Relationship::SENT;
        assert_eq!(
            apply(sent, Side::Recipient, Move::Accept),
            Ok(After::Live(rel(Accepted, true, true)))
        );
        assert_eq!(
            apply(sent, Side::Recipient, Move::Reject),
            Ok(After::Live(rel(Rejected, true, true)))
        );
        for mv in [Move::Accept, Move::Reject] {
            assert_eq!(
                apply(sent, Side::Requester, mv),
                Err(Refusal::OnlyRecipientAnswers)
            );
        }
    }

    #[test]
    fn deletes_are_asymmetric() {
        for status in [Pending, Accepted] {
            let live = rel(status, true, true);
            assert_eq!(apply(live, Side::Requester, Move::Delete), Ok(After::Gone));
            assert_eq!(
                apply(live, Side::Recipient, Move::Delete),
                Ok(After::Live(rel(Rejected, true, false)))
            );
        }
        let rejected = rel(Rejected, true, true);
        assert_eq!(
            apply(rejected, Side::Requester, Move::Delete),
            Ok(After::Live(rel(Rejected, false, true)))
        );
        assert_eq!(
            apply(rel(Rejected, false, true), Side::Recipient, Move::Delete),
            Ok(After::Gone)
        );
        assert_eq!(
            apply(rel(Rejected, true, false), Side::Requester, Move::Delete),
            Ok(After::Gone)
        );
    }

    #[test]
    fn a_rejected_request_is_acceptable_while_its_sender_holds_it() {
        assert_eq!(
            apply(rel(Rejected, true, true), Side::Recipient, Move::Accept),
            Ok(After::Live(rel(Accepted, true, true)))
        );
        assert_eq!(
            apply(rel(Rejected, false, true), Side::Recipient, Move::Accept),
            Err(Refusal::SenderDeleted)
        );
        assert_eq!(
            apply(rel(Rejected, true, false), Side::Recipient, Move::Accept),
            Err(Refusal::NotYours)
        );
    }

    #[test]
    fn a_side_reads_its_own_lines_and_the_others_while_it_holds_it() {
        let requester_gone = rel(Rejected, false, true);
        assert!(requester_gone.sees(Side::Requester, Side::Requester));
        assert!(!requester_gone.sees(Side::Requester, Side::Recipient));
        assert!(requester_gone.sees(Side::Recipient, Side::Requester));
    }

    #[test]
    fn anything_live_blocks_a_new_request() {
        assert_eq!(
            may_send(Relationship::SENT, Side::Requester),
            Err(Blocked::AlreadySent)
        );
        assert_eq!(
            may_send(Relationship::SENT, Side::Recipient),
            Err(Blocked::TheyAsked)
        );
        assert_eq!(
            may_send(rel(Rejected, false, true), Side::Requester),
            Err(Blocked::RejectedByThem)
        );
        assert_eq!(
            may_send(rel(Rejected, true, true), Side::Recipient),
            Err(Blocked::RejectedByYou)
        );
        assert_eq!(
            may_send(rel(Rejected, true, false), Side::Recipient),
            Err(Blocked::HeldByThem)
        );
    }
}
