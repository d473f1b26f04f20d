//! Mail: messages are queued in the outbox (in the same request as the change
//! that causes them) and delivered by a background worker, through SMTP or
//! into the development mailbox.

pub mod access_ends;
pub mod access_requests;
pub mod partnerships;
pub mod templates;
pub mod transport;
pub mod worker;

use crate::db;
use std::sync::Arc;
use tokio::sync::Notify;

/// A rendered message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Rendered {
    /// This message as an outbox row to `to`.
    pub fn to<'a>(&'a self, to: &'a str) -> db::outbox::NewMail<'a> {
        db::outbox::NewMail {
            to,
            subject: &self.subject,
            text_body: &self.text,
            html_body: &self.html,
        }
    }
}

/// Queues mail and wakes the worker.
#[derive(Clone, Debug, Default)]
pub struct Mailer {
    wake: Arc<Notify>,
}

impl Mailer {
    pub fn new() -> Mailer {
        Mailer::default()
    }

    /// Queues a mail in the transaction of the change that causes it; call
    /// [`Mailer::wake`] once that transaction has committed.
    pub async fn queue_in(
        &self,
        tx: &mut db::tx::Tx,
        to: &str,
        mail: &Rendered,
    ) -> Result<(), sqlx::Error> {
        db::outbox::enqueue_in(tx, &mail.to(to)).await?;
        Ok(())
    }

    /// Wakes the worker after mail was queued in a transaction of its own.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn wake_signal(&self) -> Arc<Notify> {
        self.wake.clone()
    }
}
