//! The outbox worker: the development mailbox, real SMTP delivery (against
//! Debian's aiosmtpd), and retries when the server is down.

use crate::common::{TestEnv, on_each_backend};
use consort::db;
use consort::mail::transport::Transport;
use consort::mail::{Rendered, worker};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn message(subject: &str) -> Rendered {
    Rendered {
        subject: subject.into(),
        text: "Hello\n\nhttp://localhost/x".into(),
        html: "<p>Hello</p>".into(),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct SmtpServer {
    child: Child,
    port: u16,
    maildir: tempfile::TempDir,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A real SMTP server: Debian's python3-aiosmtpd, storing messages in a maildir.
fn start_smtp() -> SmtpServer {
    let port = free_port();
    let maildir = tempfile::tempdir().unwrap();
    // Debian's interpreter, which python3-aiosmtpd installs into (another python3 may come first on PATH).
    let python = std::env::var("CONSORT_TEST_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let child = Command::new(&python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
        .arg(maildir.path().join("mail"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{python} with aiosmtpd (apt-get install python3-aiosmtpd; `make test` installs it): {e}"));
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "aiosmtpd did not start on port {port}; is python3-aiosmtpd installed?"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    SmtpServer {
        child,
        port,
        maildir,
    }
}

fn delivered(server: &SmtpServer) -> Vec<String> {
    let new = server.maildir.path().join("mail").join("new");
    std::fs::read_dir(new)
        .map(|entries| {
            entries
                .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Queues a mail that is a change of its own.
async fn queue(env: &TestEnv, to: &str, mail: &Rendered) {
    let mut tx = env.db().begin().await.unwrap();
    env.state.mailer.queue_in(&mut tx, to, mail).await.unwrap();
    tx.commit().await.unwrap();
    env.state.mailer.wake();
}

#[tokio::test]
async fn the_development_mailbox_keeps_mail_as_sent() {
    on_each_backend(async |env| {
        queue(env, "ana@example.com", &message("Dev")).await;
        assert_eq!(
            worker::run_once(env.db(), &Transport::DevMailbox)
                .await
                .unwrap(),
            1
        );
        let mail = db::outbox::recent(env.db(), 10).await.unwrap().remove(0);
        assert_eq!(mail.status, "sent");
        assert_eq!(mail.transport.as_deref(), Some("dev-mailbox"));
        assert_eq!(
            worker::run_once(env.db(), &Transport::DevMailbox)
                .await
                .unwrap(),
            0,
            "nothing is sent twice"
        );
    })
    .await;
}

#[tokio::test]
async fn smtp_delivers_to_a_real_server() {
    let server = start_smtp();
    let url = format!("smtp://127.0.0.1:{}", server.port);
    let transport = Transport::from_config(Some(&url), "Consort <no-reply@consort.test>").unwrap();
    transport.check().await.expect("the SMTP server answers");
    on_each_backend(async |env| {
        let subject = format!("Delivered from {}", env.backend);
        queue(env, "bob@example.com", &message(&subject)).await;
        assert_eq!(worker::run_once(env.db(), &transport).await.unwrap(), 1);
        let mail = db::outbox::recent(env.db(), 1).await.unwrap().remove(0);
        assert_eq!(
            (mail.status.as_str(), mail.transport.as_deref()),
            ("sent", Some("smtp"))
        );
        let messages = delivered(&server);
        let received = messages
            .iter()
            .find(|m| m.contains(&subject))
            .expect("the SMTP server stored the message");
        assert!(received.contains("To: bob@example.com"));
        assert!(received.contains("From: Consort <no-reply@consort.test>"));
        assert!(received.contains("multipart/alternative"));
    })
    .await;
}

#[tokio::test]
async fn an_unreachable_server_means_retries_not_loss() {
    let url = format!("smtp://127.0.0.1:{}", free_port());
    let transport = Transport::from_config(Some(&url), "Consort <no-reply@consort.test>").unwrap();
    let err = transport.check().await.unwrap_err().to_string();
    assert!(
        err.starts_with("cannot reach the mail server 127.0.0.1:"),
        "{err}"
    );
    on_each_backend(async |env| {
        queue(env, "bob@example.com", &message("Later")).await;
        assert_eq!(worker::run_once(env.db(), &transport).await.unwrap(), 0);
        let mail = db::outbox::recent(env.db(), 1).await.unwrap().remove(0);
        assert_eq!(mail.status, "queued", "[{}] kept for a retry", env.backend);
        assert_eq!(mail.attempts, 1);
        assert!(mail.last_error.is_some());
        assert_eq!(worker::run_once(env.db(), &transport).await.unwrap(), 0);
        assert_eq!(
            db::outbox::recent(env.db(), 1).await.unwrap()[0].attempts,
            1,
            "not retried before its back-off"
        );
    })
    .await;
}

#[test]
fn bad_mail_settings_are_explained() {
    let err = Transport::from_config(Some("carrier-pigeon://x"), "a@b.c")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("invalid MAIL setting"), "{err}");
    let err = Transport::from_config(Some("smtp://localhost:25"), "not an address")
        .unwrap_err()
        .to_string();
    assert!(err.contains("CONSORT_MAIL_FROM"), "{err}");
    assert!(Transport::from_config(None, "x").unwrap().is_dev_mailbox());
}
