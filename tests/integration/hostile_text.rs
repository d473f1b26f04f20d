//! Stored text never becomes markup. A value that tries to close every raw-text
//! element (`title`, `textarea`, `style`, `script`) and open markup of its own is
//! stored in every text field a person can set; then every page that shows those
//! fields, every mail and the development mailbox are parsed with an HTML5
//! parser, as a browser would, and must hold no element or attribute that the
//! value smuggled in — while still showing the value itself, as text.
//!
//! Fields that validation keeps free of `<`, `>` and `"` are safe by
//! validation: every email address (a person's, an invitation's, the billing
//! contact's) goes through `EmailAddress::parse`, which refuses them (its unit
//! tests, and the billing save below), and the tax ID takes letters, digits and
//! ` -./` only (checked below). Email addresses may hold `'` and `&`, so the
//! addresses used here carry those. The session's user agent is stored but
//! shown nowhere; it is hostile here all the same.

use crate::common::{PASSWORD, TestEnv, on_each_backend};
use crate::invitations::token_for;
use axum::body::{Body, to_bytes};
use consort::auth::client::Client;
use consort::db;
use consort::domain::billing::BillingDetails;
use consort::domain::invitation::{CsvSource, DraftRow, InviteSource, Outcome};
use consort::domain::role::{MembershipKind, Role};
use consort::service::{acceptance, accounts, billing, invitations, passwords, settings};
use consort::web::router::router;
use http::{Request, StatusCode, header};
use scraper::{Html, Selector};
use tower::ServiceExt;

/// Closes every raw-text element, then opens an element, attributes and an
/// image of its own; `&amp;` shows whether `&` is escaped (it must read as
/// `&amp;`, not `&`). 91 characters, so a short prefix still fits a name.
const HOSTILE: &str = r#"</title></textarea></style></script><x-pwned data-pwned="1">"'><img data-pwned2 src=x>&amp;"#;

fn hostile(prefix: &str) -> String {
    format!("{prefix} {HOSTILE}")
}

/// Addresses as hostile as validation lets them be.
const MEMBER_EMAIL: &str = "o'hara&co@hostile.test";
const PENDING_EMAIL: &str = "d'arcy&sons@hostile.test";
const CONTACT_EMAIL: &str = "bill's&co@hostile.test";

/// A client whose address and user agent are hostile too: behind a trusted
/// proxy the address is the first `X-Forwarded-For` hop, which the visitor writes.
fn hostile_client() -> Client {
    Client {
        ip: Some(hostile("ip")),
        user_agent: Some(hostile("ua")),
    }
}

/// What went wrong, page by page: collected so one run reports every page.
#[derive(Default)]
struct Findings(Vec<String>, usize);

impl Findings {
    /// Parses `html` as a browser does and records every element or attribute
    /// the hostile value brought in. Returns the parsed document.
    fn inert(&mut self, what: &str, html: &str) -> Html {
        self.1 += 1;
        let document = Html::parse_document(html);
        for node in document.tree.nodes() {
            let Some(element) = node.value().as_element() else {
                continue;
            };
            if element.name() == "x-pwned" {
                self.0
                    .push(format!("{what}: an <x-pwned> element was injected"));
            }
            if element.name() == "img" && element.attr("data-pwned2").is_some() {
                self.0
                    .push(format!("{what}: an <img data-pwned2> element was injected"));
            }
            for (name, _) in element.attrs() {
                if name.starts_with("data-pwned") {
                    self.0.push(format!(
                        "{what}: attribute {name} injected on <{}>",
                        element.name()
                    ));
                }
            }
        }
        document
    }

    /// Records a failure unless `ok`.
    fn check(&mut self, ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.0.push(message());
        }
    }
}

fn all_text(document: &Html) -> String {
    document.root_element().text().collect()
}

fn first_text(document: &Html, selector: &str) -> Option<String> {
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .next()
        .map(|e| e.text().collect())
}

fn first_attr(document: &Html, selector: &str, attr: &str) -> Option<String> {
    let selector = Selector::parse(selector).unwrap();
    document
        .select(&selector)
        .next()
        .and_then(|e| e.value().attr(attr))
        .map(str::to_string)
}

fn get(path: &str, session: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path)
        .header(header::HOST, "localhost:3000")
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("consort_session={token}"));
    }
    request.body(Body::empty()).unwrap()
}

/// A page through the real router (development mailbox mounted), as HTML.
async fn page(env: &TestEnv, path: &str, session: Option<&str>) -> (StatusCode, String) {
    let response = router(env.state.clone(), true)
        .oneshot(get(path, session))
        .await
        .unwrap();
    let status = response.status();
    let body = to_bytes(response.into_body(), 16 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Renders `path` and checks it: 200, inert, and showing `shown` as text.
async fn check_page(
    env: &TestEnv,
    findings: &mut Findings,
    path: &str,
    session: Option<&str>,
    shown: &[&str],
) -> Html {
    let what = format!("[{}] GET {path}", env.backend);
    let (status, html) = page(env, path, session).await;
    assert_eq!(status, StatusCode::OK, "{what}: {html}");
    let document = findings.inert(&what, &html);
    let text = all_text(&document);
    for value in shown {
        findings.check(text.contains(value), || {
            format!("{what}: does not show {value:?} as text")
        });
    }
    document
}

fn row(input: &str, role: Role, sub_accounts: Option<Vec<uuid::Uuid>>) -> InviteSource {
    InviteSource::Rows(vec![DraftRow {
        input: input.into(),
        kind: MembershipKind::Team,
        access_until: String::new(),
        role,
        modules: vec![],
        sub_accounts,
        restore: false,
    }])
}

/// A CSV cell, quoted.
fn cell(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

#[tokio::test]
async fn hostile_text_is_shown_as_text_on_every_page_and_in_every_mail() {
    on_each_backend(async |env| {
        let mut findings = Findings::default();
        let client = hostile_client();
        let (owner_name, org_name) = (hostile("Ola"), hostile("Acme"));
        let (north, south, renamed) = (hostile("North"), hostile("South"), hostile("Renamed"));
        // A CSV cell lists sub-accounts separated by `;`, which `&amp;` holds.
        let west = format!("West {}", HOSTILE.trim_end_matches("&amp;"));
        let (member_name, member_renamed) = (hostile("Mo"), hostile("Moe"));
        let (contact, address) = (
            hostile("Bill"),
            format!("{}\n{}", hostile("1 Main"), hostile("Town")),
        );

        // Person name and organization name, through sign-up (a welcome mail).
        let owner = env
            .sign_up(&owner_name, "owner@hostile.test", &org_name)
            .await;
        let slug = owner.landing.trim_start_matches("/o/").to_string();
        let by_owner = Some(owner.session);

        // Sub-accounts: created, and one renamed (the audit trail records both names).
        let north_id = settings::create_sub_account(&env.state, &client, by_owner, &slug, &north)
            .await
            .unwrap();
        let south_id = settings::create_sub_account(&env.state, &client, by_owner, &slug, &south)
            .await
            .unwrap();
        settings::rename_sub_account(&env.state, &client, by_owner, &slug, south_id, &renamed)
            .await
            .unwrap();
        settings::create_sub_account(&env.state, &client, by_owner, &slug, &west)
            .await
            .unwrap();

        // Billing: contact and address take any text; the email and the tax ID are
        // refused when they hold markup.
        let refused = billing::save_details(
            &env.state,
            &client,
            by_owner,
            &slug,
            BillingDetails {
                contact_name: contact.clone(),
                contact_email: format!("{HOSTILE}@hostile.test"),
                address: address.clone(),
                tax_id: HOSTILE.into(),
                version: 0,
            },
        )
        .await
        .unwrap_err();
        assert!(
            refused.message_for("contact_email").is_some()
                && refused.message_for("tax_id").is_some(),
            "[{}] markup in a billing email or tax ID is refused: {refused:?}",
            env.backend
        );
        billing::save_details(
            &env.state,
            &client,
            by_owner,
            &slug,
            BillingDetails {
                contact_name: contact.clone(),
                contact_email: CONTACT_EMAIL.into(),
                address: address.clone(),
                tax_id: "DE 123/456.789-0".into(),
                version: 0,
            },
        )
        .await
        .unwrap();

        // An invitation typed as `Name <address>` with a hostile name (only the
        // address is kept), accepted as a new person with a hostile name.
        invitations::send(
            &env.state,
            &client,
            by_owner,
            &slug,
            row(
                &format!("{HOSTILE} <{MEMBER_EMAIL}>"),
                Role::Admin,
                Some(vec![north_id]),
            ),
        )
        .await
        .unwrap();
        let token = token_for(env, MEMBER_EMAIL).await;
        let member = acceptance::accept_with_new_account(
            &env.state,
            &client,
            None,
            &token,
            &member_name,
            PASSWORD,
        )
        .await
        .unwrap();
        let member_id = member.session.user_id;
        // The person renames themselves (the audit trail keeps both names).
        accounts::update_profile(&env.state, &client, Some(member.session), &member_renamed)
            .await
            .unwrap();

        // A CSV: a pending invitation whose sub-account cell names a hostile
        // sub-account, and rows whose hostile cells are refused (they stay in the
        // report, which the dialog shows as text, and are not stored).
        let csv = [
            "email,role,modules,sub_accounts".to_string(),
            format!("{PENDING_EMAIL},user,,{}", cell(&west)),
            format!("{},user,,", cell(HOSTILE)),
            format!("x@hostile.test,{},{},", cell(HOSTILE), cell(HOSTILE)),
        ]
        .join("\n");
        let sent = invitations::send(
            &env.state,
            &client,
            by_owner,
            &slug,
            InviteSource::Csv(CsvSource::new(csv, MembershipKind::Partner)),
        )
        .await
        .unwrap();
        assert_eq!(sent.invited, 1, "[{}] {:?}", env.backend, sent.report);
        assert!(
            sent.report.rows[1..]
                .iter()
                .all(|r| matches!(r.outcome, Outcome::Invalid(_))),
            "{:?}",
            sent.report
        );

        // Membership notices name the actor and the organization.
        crate::members::set_active_now(env, by_owner, &slug, member_id, false).await;
        check_page(
            env,
            &mut findings,
            &format!("/o/{slug}/members/deactivated"),
            Some(&owner.token),
            &[&org_name, &owner_name, &member_renamed],
        )
        .await;
        crate::members::set_active_now(env, by_owner, &slug, member_id, true).await;
        // A password reset mail greets the person by name.
        passwords::request_reset(&env.state, &client, MEMBER_EMAIL)
            .await
            .unwrap();
        crate::common::wait_for_mail(env, MEMBER_EMAIL, "Reset your Consort password").await;

        // Every page that shows these values, as the owner.
        let owner_pages: [(String, Vec<&str>); 9] = [
            (format!("/o/{slug}"), vec![&org_name, &owner_name]),
            (
                format!("/o/{slug}/members"),
                vec![&org_name, &member_renamed, MEMBER_EMAIL],
            ),
            (
                format!("/o/{slug}/members/{member_id}"),
                vec![&member_renamed, &north, MEMBER_EMAIL],
            ),
            (
                format!("/o/{slug}/members/invitations"),
                vec![PENDING_EMAIL],
            ),
            (
                format!("/o/{slug}/contacts"),
                vec![&owner_name, &member_renamed, MEMBER_EMAIL],
            ),
            (format!("/o/{slug}/billing"), vec![&org_name]),
            (
                format!("/o/{slug}/audit-log"),
                vec![&owner_name, &member_renamed, &renamed],
            ),
            (
                format!("/o/{slug}/settings"),
                vec![&north, &renamed, &west, &org_name],
            ),
            (format!("/o/{slug}/account"), vec![&org_name, &owner_name]),
        ];
        for (path, shown) in &owner_pages {
            let document = check_page(env, &mut findings, path, Some(&owner.token), shown).await;
            // The page title holds the organization's name as a browser reads it.
            if path == &format!("/o/{slug}") {
                let title = first_text(&document, "title");
                findings.check(
                    title.as_deref() == Some(&format!("{org_name} · Consort")),
                    || format!("[{}] GET {path}: the title reads {title:?}", env.backend),
                );
            }
            // The billing details are the form's values, exactly as stored.
            if path.ends_with("/billing") {
                let value = first_text(&document, "textarea#field-address");
                findings.check(value.as_deref() == Some(address.as_str()), || {
                    format!(
                        "[{}] GET {path}: the address textarea holds {value:?}",
                        env.backend
                    )
                });
                for (name, expected) in [
                    ("contact_name", &contact),
                    ("contact_email", &CONTACT_EMAIL.to_string()),
                ] {
                    let value = first_attr(&document, &format!("input[name={name}]"), "value");
                    findings.check(value.as_ref() == Some(expected), || {
                        format!(
                            "[{}] GET {path}: the {name} field holds {value:?}",
                            env.backend
                        )
                    });
                }
            }
        }
        // The member's own account page: their name, and the hostile client address
        // in their recent activity.
        let member_session =
            accounts::log_in(&env.state, &client, None, MEMBER_EMAIL, PASSWORD, None)
                .await
                .unwrap();
        check_page(
            env,
            &mut findings,
            &format!("/o/{slug}/account"),
            Some(&member_session.token),
            &[&org_name, &member_renamed, &hostile("ip")],
        )
        .await;

        // The invitation page, signed out and signed in as someone else.
        let pending = token_for(env, PENDING_EMAIL).await;
        let accept = format!("/invitations/accept?token={pending}");
        check_page(
            env,
            &mut findings,
            &accept,
            None,
            &[&org_name, &owner_name, PENDING_EMAIL],
        )
        .await;
        check_page(
            env,
            &mut findings,
            &accept,
            Some(&member_session.token),
            &[&org_name, &owner_name, MEMBER_EMAIL],
        )
        .await;

        // A sign-up link waiting to be followed shows what it will create.
        let (newcomer, new_org) = (hostile("Nia"), hostile("Nova"));
        accounts::request_sign_up(
            &env.state,
            &client,
            accounts::SignUp {
                name: newcomer.clone(),
                email: "nia@hostile.test".into(),
                password: PASSWORD.into(),
                organization: new_org.clone(),
            },
        )
        .await
        .unwrap();
        let waiting = env.sign_up_token("nia@hostile.test").await;
        check_page(
            env,
            &mut findings,
            &format!("/signup/confirm?token={waiting}"),
            None,
            &[&newcomer, &new_org],
        )
        .await;

        // Every mail: its HTML body, and its page in the development mailbox.
        let mails = db::outbox::recent(env.db(), 200).await.unwrap();
        // Two sign-up links, welcome, two invitations, deactivated, reactivated,
        // password reset.
        let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(mails.len(), 8, "[{}] {subjects:?}", env.backend);
        check_page(env, &mut findings, "/dev/mailbox", None, &subjects).await;
        for mail in &mails {
            let what = format!(
                "[{}] mail {:?} to {}",
                env.backend, mail.subject, mail.to_address
            );
            let body = findings.inert(&what, &mail.html_body);
            let text = all_text(&body);
            for value in [
                &org_name,
                &owner_name,
                &member_name,
                &member_renamed,
                &newcomer,
                &new_org,
            ] {
                if mail.text_body.contains(value.as_str()) {
                    findings.check(text.contains(value.as_str()), || {
                        format!("{what}: the HTML body does not show {value:?}")
                    });
                }
            }
            let path = format!("/dev/mailbox/{}", mail.id);
            let document = check_page(env, &mut findings, &path, None, &[&mail.subject]).await;
            let title = first_text(&document, "title").unwrap_or_default();
            findings.check(title.starts_with(&format!("{} · ", mail.subject)), || {
                format!("[{}] GET {path}: the title reads {title:?}", env.backend)
            });
        }
        assert!(
            mails.iter().any(|m| m.subject.contains(&org_name)),
            "[{}] some subject names the organization",
            env.backend
        );

        eprintln!(
            "[{}] {} documents parsed, {} findings",
            env.backend,
            findings.1,
            findings.0.len()
        );
        assert!(
            findings.0.is_empty(),
            "[{}] hostile text became markup or was lost:\n{}",
            env.backend,
            findings.0.join("\n")
        );
    })
    .await;
}
