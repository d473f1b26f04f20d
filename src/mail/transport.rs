//! Delivery: SMTP through lettre, or the development mailbox (the outbox row
//! itself, shown at /dev/mailbox).

use crate::db::outbox::MailRow;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Transport {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        target: String,
    },
    DevMailbox,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error(
        "invalid MAIL setting {0:?}: use smtp://host:port (plain), smtp://user:pass@host:587?tls=required (STARTTLS) or smtps://user:pass@host:465"
    )]
    BadUrl(String),
    #[error("invalid sender address {0:?} (CONSORT_MAIL_FROM): {1}")]
    BadFrom(String, String),
    #[error("cannot reach the mail server {target}: {reason}")]
    Unreachable { target: String, reason: String },
}

impl Transport {
    /// From the MAIL setting; `None` is the development mailbox.
    pub fn from_config(mail: Option<&str>, from: &str) -> Result<Transport, TransportError> {
        let Some(url) = mail.filter(|m| !m.trim().is_empty()) else {
            return Ok(Transport::DevMailbox);
        };
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| TransportError::BadFrom(from.into(), e.to_string()))?;
        let parsed =
            url::Url::parse(url).map_err(|_| TransportError::BadUrl(crate::db::redact(url)))?;
        let target = match parsed.port() {
            Some(port) => format!("{}:{port}", parsed.host_str().unwrap_or("?")),
            None => parsed.host_str().unwrap_or("?").to_string(),
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| TransportError::BadUrl(crate::db::redact(url)))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Transport::Smtp {
            transport,
            from,
            target,
        })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Transport::Smtp { .. } => "smtp",
            Transport::DevMailbox => "dev-mailbox",
        }
    }

    pub fn is_dev_mailbox(&self) -> bool {
        matches!(self, Transport::DevMailbox)
    }

    /// Checks that the SMTP server answers (start-up check).
    pub async fn check(&self) -> Result<(), TransportError> {
        match self {
            Transport::Smtp {
                transport, target, ..
            } => match transport.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err(TransportError::Unreachable {
                    target: target.clone(),
                    reason: "no answer".into(),
                }),
                Err(e) => Err(TransportError::Unreachable {
                    target: target.clone(),
                    reason: e.to_string(),
                }),
            },
            Transport::DevMailbox => Ok(()),
        }
    }

    /// Delivers one message. The development mailbox keeps it where it is.
    pub async fn deliver(&self, mail: &MailRow) -> Result<(), String> {
        let Transport::Smtp {
            transport, from, ..
        } = self
        else {
            return Ok(());
        };
        let to = mail
            .to_address
            .parse::<Mailbox>()
            .map_err(|e| format!("invalid recipient: {e}"))?;
        let message = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .multipart(MultiPart::alternative_plain_html(
                mail.text_body.clone(),
                mail.html_body.clone(),
            ))
            .map_err(|e| e.to_string())?;
        transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}
