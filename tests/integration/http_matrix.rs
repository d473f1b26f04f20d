//! The permission matrix over HTTP: every registered server function, every
//! organization page and the other routes, called through the real router as
//! each kind of actor, with well-formed arguments that point at real objects of
//! one organization.
//!
//! What each actor should get is not written by hand: [`ENDPOINTS`] names the one
//! policy action each endpoint must ask, and the expected answer comes from
//! `policy::allowed` for an actor built like each kind. An endpoint that asked
//! for another action (or none) answers someone differently, and the test fails.
//! A refused call must answer with the status of its refusal (401 not signed
//! in, 404 not a member, 403 deactivated / module missing / role too low) and
//! leave every row of every table as it was. An allowed call must answer 200.
//!
//! Beyond the policy: the invitation links refuse whoever the invitation is
//! not for, and a visitor's landing is answered without it (see
//! [`Fixture::expect`]); and the endpoints that name an object by its id are also
//! called by the owner of another organization in their own organization,
//! naming this organization's objects ([`BY_ID`]): 404, and nothing changes.
//!
//! Allowed calls change things. Refusals run first for each endpoint, while the
//! objects are as the fixture made them; the arguments make a fresh object
//! where a call uses one up (an invitation to cancel, a member to remove), and
//! [`after_allowed`] puts the actor back as they were (signed in as
//! themself, in their membership). Deleting the organization comes last.
//!
//! A registered server function missing from [`ENDPOINTS`] fails the test, as
//! does a page missing from [`PAGES`] or [`PUBLIC_PAGES`].

use crate::common::{
    PASSWORD, TestEnv, link_in, on_each_backend, slug_of, snapshot, snapshot_difference,
    wait_for_mail,
};
use axum::Router;
use axum::body::{Body, to_bytes};
use consort::auth::session::Session;
use consort::domain::access_request::{AccessGrant, AccessProposal};
use consort::domain::audit::{AuditAction, AuditQuery};
use consort::domain::contact::ContactQuery;
use consort::domain::invitation::{DraftRow, InvitationQuery, InviteSource, LIFETIME_CHOICES};
use consort::domain::member::{AccessChange, MemberQuery, MemberSort};
use consort::domain::module::{self, Module};
use consort::domain::partnership::ListPages;
use consort::domain::policy::{Action, Actor, Denied, MembershipFacts, Target, allowed};
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use consort::service::{
    acceptance, access_requests, accounts, billing, invitations, members, partnerships, passwords,
    settings,
};
use consort::web::router::router;
use http::{HeaderMap, Request, StatusCode, header};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use tower::ServiceExt;
use uuid::Uuid;

/// Every server function's endpoint and the one policy action it must ask.
/// The organization is deleted by the last but two; the last closes accounts.
const ENDPOINTS: &[(&str, Action)] = {
    use Action::*;
    &[
        // Anyone. The sign-up and reset links come from the calls before them.
        ("/api/sign_up", SignUp),
        ("/api/sign_up_preview", SignUp),
        ("/api/confirm_sign_up", SignUp),
        ("/api/log_in", LogIn),
        ("/api/request_password_reset", RequestPasswordReset),
        ("/api/check_reset_link", ResetPassword),
        ("/api/reset_password", ResetPassword),
        ("/api/invitation_preview", ViewInvitationLink),
        ("/api/accept_invitation", AcceptInvitation),
        ("/api/accept_invitation_new_account", AcceptInvitation),
        // The signed-in person's own account.
        ("/api/log_out", LogOut),
        ("/api/update_profile", UpdateProfile),
        ("/api/change_password", ChangePassword),
        ("/api/recent_activity", ViewAccount),
        ("/api/current_landing", ViewAccount),
        ("/api/my_organizations", ViewAccount),
        // Partner access asked of Initech with its request code.
        ("/api/request_access", RequestAccess),
        // An organization of one's own: only for a person who is a team member nowhere.
        ("/api/create_organization", CreateOrganization),
        // Invitations to the person's own address (from Initech, a third organization).
        ("/api/decline_invitation", RespondToInvitation),
        ("/api/accept_waiting_invitation", RespondToInvitation),
        // Inside the organization.
        ("/api/org_shell", ViewOrganization),
        ("/api/invite_options", InviteMembers),
        ("/api/check_invitations", InviteMembers),
        ("/api/send_invitations", InviteMembers),
        ("/api/list_invitations", ViewInvitations),
        ("/api/resend_invitation", ManageInvitations),
        ("/api/cancel_invitation", ManageInvitations),
        ("/api/organization_settings", ViewSettings),
        ("/api/set_invitation_lifetime", ManageSettings),
        ("/api/set_partner_inactivity", ManageSettings),
        ("/api/new_partner_request_code", ManageSettings),
        ("/api/create_sub_account", ManageSettings),
        ("/api/rename_sub_account", ManageSettings),
        ("/api/set_sub_account_archived", ManageSettings),
        ("/api/list_members", ViewMembers),
        ("/api/member_detail", ManageMembers),
        ("/api/update_member_access", ManageMembers),
        ("/api/set_member_active", ManageMembers),
        ("/api/change_member_kind", ManageMembers),
        ("/api/set_access_end", ManageMembers),
        ("/api/extend_access", ManageMembers),
        ("/api/remove_member", ManageMembers),
        ("/api/list_access_requests", ViewAccessRequests),
        ("/api/approve_access_request", AnswerAccessRequest),
        ("/api/decline_access_request", AnswerAccessRequest),
        ("/api/transfer_ownership", TransferOwnership),
        ("/api/list_partnerships", ViewPartnerships),
        ("/api/send_partnership_request", ManagePartnerships),
        ("/api/answer_partnership", ManagePartnerships),
        ("/api/partnership_timeline", ViewPartnershipTimeline),
        ("/api/export_partnership_timeline", ViewPartnershipTimeline),
        ("/api/list_contacts", ViewContacts),
        ("/api/list_audit_events", ViewAuditLog),
        ("/api/export_audit_log", ViewAuditLog),
        ("/api/billing_overview", ViewBilling),
        ("/api/save_billing_details", ManageBilling),
        ("/api/leave_organization", LeaveOrganization),
        ("/api/delete_organization", DeleteOrganization),
        // After the organization is gone: each actor closes their own account.
        ("/api/close_account_blockers", ViewAccount),
        ("/api/close_account", CloseAccount),
    ]
};

/// The pages inside an organization (`/o/{slug}` + the pattern), with the
/// action whose data each one shows. Every one of them first loads the frame
/// (`org_shell`, [`Action::ViewOrganization`]).
const PAGES: &[(&str, Action)] = {
    use Action::*;
    &[
        ("", ViewOrganization),
        ("/account", ViewOrganization),
        ("/members", ViewMembers),
        ("/members/deactivated", ViewMembers),
        ("/members/invitations", ViewInvitations),
        ("/members/requests", ViewAccessRequests),
        ("/members/{user_id}", ManageMembers),
        ("/contacts", ViewContacts),
        ("/partners", ViewPartnerships),
        ("/partners/timeline", ViewPartnershipTimeline),
        ("/billing", ViewBilling),
        ("/audit-log", ViewAuditLog),
        ("/settings", ViewSettings),
    ]
};

/// The endpoints that name an object of the organization by its id. The owner
/// of another organization, who passes the policy in their own, must not reach
/// this organization's objects by naming them there.
const BY_ID: &[&str] = &[
    "/api/resend_invitation",
    "/api/cancel_invitation",
    "/api/rename_sub_account",
    "/api/set_sub_account_archived",
    "/api/member_detail",
    "/api/update_member_access",
    "/api/set_member_active",
    "/api/change_member_kind",
    "/api/set_access_end",
    "/api/extend_access",
    "/api/remove_member",
    "/api/approve_access_request",
    "/api/decline_access_request",
    "/api/answer_partnership",
    "/api/list_contacts",
    "/api/transfer_ownership",
];

/// Pages outside any organization.
const PUBLIC_PAGES: &[&str] = &[
    "/",
    "/signup",
    "/signup/confirm",
    "/login",
    "/forgot-password",
    "/reset-password",
    "/invitations/accept",
    "/organizations",
];

/// Left out of the before/after comparison: any request that carries a
/// session cookie, allowed or refused, resolves the session before the policy
/// is asked, and that refreshes the session's idle clock (at most once a
/// minute, see `auth::session::touch_interval`). Nothing else is left out.
const REFRESHED_BY_EVERY_REQUEST: &[(&str, &str)] = &[("sessions", "last_seen_at")];

/// The kinds of actor of DESIGN.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Owner,
    Admin,
    BillingAdmin,
    /// Role user with every module a user may be given (Contacts, Partners).
    UserWithModules,
    UserWithoutModules,
    /// A membership of kind partner (role user, with Contacts).
    Partner,
    /// The same, whose access end date has passed (the job has not run yet).
    PartnerEnded,
    /// An admin, deactivated.
    Deactivated,
    /// Was an admin, then removed.
    Removed,
    /// The owner of another organization.
    Outsider,
    /// The owner of another organization who declined an invitation to this one.
    DeclinedInvitee,
    Anonymous,
}

impl Kind {
    const ALL: [Kind; 12] = [
        Kind::Owner,
        Kind::Admin,
        Kind::BillingAdmin,
        Kind::UserWithModules,
        Kind::UserWithoutModules,
        Kind::Partner,
        Kind::PartnerEnded,
        Kind::Deactivated,
        Kind::Removed,
        Kind::Outsider,
        Kind::DeclinedInvitee,
        Kind::Anonymous,
    ];

    /// (name, email) of the person acting as this kind.
    fn person(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Kind::Owner => ("Olive Owner", "olive@acme.test"),
            Kind::Admin => ("Adam Admin", "adam@acme.test"),
            Kind::BillingAdmin => ("Bea Billing", "bea@acme.test"),
            Kind::UserWithModules => ("Uma Modules", "uma@acme.test"),
            Kind::UserWithoutModules => ("Ned Nomodule", "ned@acme.test"),
            Kind::Partner => ("Pia Partner", "pia@partner.test"),
            Kind::PartnerEnded => ("Paz Ended", "paz@partner.test"),
            Kind::Deactivated => ("Dora Deactivated", "dora@acme.test"),
            Kind::Removed => ("Remy Removed", "remy@acme.test"),
            Kind::Outsider => ("Gil Globex", "gil@globex.test"),
            Kind::DeclinedInvitee => ("Dex Declined", "dex@declined.test"),
            Kind::Anonymous => return None,
        })
    }

    /// The membership this kind has (or had) in the organization.
    fn membership(self) -> Option<(MembershipKind, Role, &'static [Module])> {
        use MembershipKind::*;
        Some(match self {
            Kind::Owner => (Team, Role::Owner, &[]),
            Kind::Admin | Kind::Deactivated | Kind::Removed => (Team, Role::Admin, &[]),
            Kind::BillingAdmin => (Team, Role::BillingAdmin, &[]),
            Kind::UserWithModules => (Team, Role::User, &[Module::Contacts, Module::Partners]),
            Kind::UserWithoutModules => (Team, Role::User, &[]),
            Kind::Partner | Kind::PartnerEnded => (Partner, Role::User, &[Module::Contacts]),
            Kind::Outsider | Kind::DeclinedInvitee | Kind::Anonymous => return None,
        })
    }
}

/// What a call should get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// Past the policy and done: 200.
    Pass,
    /// Refused with this status, and nothing changed.
    Refused(StatusCode),
}

fn refusal(denied: Denied) -> StatusCode {
    match denied {
        Denied::NotSignedIn => StatusCode::UNAUTHORIZED,
        // An organization one is not in reads like one that does not exist.
        Denied::NotAMember => StatusCode::NOT_FOUND,
        Denied::Deactivated | Denied::MissingModule(_) | Denied::Forbidden => StatusCode::FORBIDDEN,
    }
}

/// A person of the fixture, signed in.
struct Person {
    name: String,
    email: String,
    password: String,
    session: Session,
    token: String,
}

impl Person {
    fn user_id(&self) -> Uuid {
        self.session.user_id
    }
}

/// The organization Acme with one person of each kind, the owner of Globex,
/// and real objects to point at.
struct Fixture {
    app: Router,
    org_id: Uuid,
    slug: String,
    org_name: String,
    other_org_id: Uuid,
    other_slug: String,
    actors: HashMap<Kind, Person>,
    /// A second owner who prepares objects between calls; never an actor.
    cora: Person,
    /// The member whose detail, access and status the member endpoints change.
    tina: Person,
    /// The member removed by `remove_member` (and invited back before each call).
    rex: Person,
    /// The member made owner by `transfer_ownership`.
    hal: Person,
    /// A team member of Globex invited to Acme as a partner; `ivy_token` is
    /// her invitation's link, which only she may accept.
    ivy: Person,
    ivy_token: String,
    /// Initech, whose owner invites the actors to it as partners (the
    /// invitations they accept or decline from My organizations).
    initech: (String, Session),
    /// Initech's partner request code.
    initech_code: String,
    /// A sub-account.
    north: Uuid,
    /// For unique addresses and names.
    serial: u32,
    signup_tokens: HashMap<Kind, String>,
    reset_tokens: HashMap<Kind, String>,
    /// Reset requests answered so far (their work runs after the answer).
    resets_requested: i64,
}

const OTHER_PASSWORD: &str = "quartz-harbor-58-meadow";

/// Tina's address and name: what the organization's pages must not show to
/// anyone outside it.
const TINA: (&str, &str) = ("Tina Target", "tina@acme.test");

impl Fixture {
    fn person(&self, kind: Kind) -> Option<&Person> {
        self.actors.get(&kind)
    }

    fn token(&self, kind: Kind) -> Option<&str> {
        self.person(kind).map(|p| p.token.as_str())
    }

    fn next(&mut self) -> u32 {
        self.serial += 1;
        self.serial
    }

    /// The actor the policy should see for `kind` in Acme.
    fn policy_actor(&self, kind: Kind) -> Actor {
        let facts = |org, (kind, role, granted): (MembershipKind, Role, &[Module]), status| {
            Some(MembershipFacts {
                organization_id: org,
                kind,
                role,
                status,
                modules: module::effective(role, granted).into_iter().collect(),
                sub_account_scope: None,
            })
        };
        let user_id = self.person(kind).map(Person::user_id);
        let membership = match kind {
            Kind::Anonymous | Kind::Removed | Kind::DeclinedInvitee => None,
            Kind::Outsider => facts(
                self.other_org_id,
                (MembershipKind::Team, Role::Owner, &[]),
                MemberStatus::Active,
            ),
            Kind::Deactivated | Kind::PartnerEnded => facts(
                self.org_id,
                kind.membership().unwrap(),
                MemberStatus::Deactivated,
            ),
            _ => facts(
                self.org_id,
                kind.membership().unwrap(),
                MemberStatus::Active,
            ),
        };
        Actor {
            user_id,
            membership,
        }
    }

    /// What `kind` should get from `path`: the policy's answer for `action`,
    /// then the rules some public endpoints add.
    fn expect(&self, path: &str, action: Action, kind: Kind) -> Expect {
        let own = self.person(kind).map_or(Uuid::nil(), Person::user_id);
        let target = if action.requirement().is_some() {
            Target::Organization(self.org_id)
        } else if matches!(
            action,
            Action::LogOut
                | Action::ViewAccount
                | Action::UpdateProfile
                | Action::ChangePassword
                | Action::RespondToInvitation
                | Action::CloseAccount
                | Action::RequestAccess
                | Action::CreateOrganization
        ) {
            Target::Account(own)
        } else {
            Target::Nobody
        };
        let policy = match allowed(&self.policy_actor(kind), action, &target) {
            Ok(()) => Expect::Pass,
            Err(denied) => Expect::Refused(refusal(denied)),
        };
        let signed_in = kind != Kind::Anonymous;
        match path {
            // The home page asks where to go: a visitor is told "nowhere" (`null`)
            // without the policy being asked, and nothing is revealed.
            "/api/current_landing" if !signed_in => Expect::Pass,
            // The link is the authority, but only for the invited address: a
            // visitor must log in first, anyone else is refused.
            "/api/accept_invitation" if !signed_in => Expect::Refused(StatusCode::UNAUTHORIZED),
            "/api/accept_invitation" => Expect::Refused(StatusCode::FORBIDDEN),
            // A new account is for visitors: a signed-in person logs out first.
            "/api/accept_invitation_new_account" if signed_in => {
                Expect::Refused(StatusCode::CONFLICT)
            }
            // A person is a team member of one organization at most: Acme's
            // team (deactivated too) and the owners of other organizations
            // are refused, before anything is written.
            "/api/create_organization"
                if signed_in
                    && kind
                        .membership()
                        .is_none_or(|(k, _, _)| k == MembershipKind::Team)
                    && kind != Kind::Removed =>
            {
                Expect::Refused(StatusCode::CONFLICT)
            }
            // The last owners of their own organizations hand them over first.
            "/api/close_account" if matches!(kind, Kind::Outsider | Kind::DeclinedInvitee) => {
                Expect::Refused(StatusCode::CONFLICT)
            }
            _ => policy,
        }
    }
}

// ---- HTTP ----------------------------------------------------------------

enum Payload {
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

impl Payload {
    fn set(&mut self, name: &'static str, value: &str) {
        match self {
            Payload::Form(fields) => fields
                .iter_mut()
                .filter(|(n, _)| *n == name)
                .for_each(|(_, v)| *v = value.to_string()),
            Payload::Json(args) => args[name] = json!(value),
        }
    }
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    /// The session token a Set-Cookie gives (empty when it clears the cookie).
    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| v.strip_prefix("consort_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_string())
    }

    /// Where a server function's redirect goes.
    fn redirect(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

async fn send(app: &Router, request: Request<Body>) -> Answer {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), 16 << 20).await.unwrap();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn with_cookie(mut builder: http::request::Builder, token: Option<&str>) -> http::request::Builder {
    if let Some(token) = token {
        builder = builder.header(header::COOKIE, format!("consort_session={token}"));
    }
    builder
}

/// A server function call as the app's own pages make it.
fn post(path: &str, token: Option<&str>, payload: &Payload) -> Request<Body> {
    let builder = Request::post(path)
        .header(header::HOST, "localhost:3000")
        .header(header::ORIGIN, "http://localhost:3000")
        .header(header::ACCEPT, "application/json");
    let (content_type, body) = match payload {
        Payload::Form(fields) => {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            for (name, value) in fields {
                form.append_pair(name, value);
            }
            ("application/x-www-form-urlencoded", form.finish())
        }
        Payload::Json(value) => ("application/json", value.to_string()),
    };
    with_cookie(builder, token)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

fn get(path: &str, token: Option<&str>) -> Request<Body> {
    let builder = Request::get(path)
        .header(header::HOST, "localhost:3000")
        .header(header::ACCEPT, "text/html,application/xhtml+xml");
    with_cookie(builder, token).body(Body::empty()).unwrap()
}

fn form<const N: usize>(fields: [(&'static str, String); N]) -> Payload {
    Payload::Form(fields.into_iter().collect())
}

// ---- The fixture -----------------------------------------------------------

/// Invites `email` into the organization `slug` by `by`; returns the
/// invitation's id and its link's token.
async fn invite(
    env: &TestEnv,
    by: Session,
    slug: &str,
    email: &str,
    (kind, role, granted): (MembershipKind, Role, &[Module]),
) -> (Uuid, String) {
    let row = DraftRow {
        input: email.into(),
        kind,
        access_until: String::new(),
        role,
        modules: granted.to_vec(),
        sub_accounts: None,
        restore: false,
    };
    let sent = invitations::send(
        &env.state,
        &env.client(),
        Some(by),
        slug,
        InviteSource::Rows(vec![row]),
    )
    .await
    .unwrap_or_else(|e| panic!("[{}] inviting {email}: {e:?}", env.backend));
    assert_eq!(
        sent.invited, 1,
        "[{}] {email}: {:?}",
        env.backend, sent.report
    );
    let query = InvitationQuery {
        search: email.into(),
        page: 1,
        ..Default::default()
    };
    let id = invitations::list(&env.state, Some(by), slug, query)
        .await
        .unwrap()
        .items
        .iter()
        .find(|i| i.email == email)
        .expect("the invitation is listed")
        .id;
    let mail = wait_for_mail(env, email, "invited you").await;
    let link = link_in(
        &mail.text_body,
        "http://localhost:3000/invitations/accept?token=",
    )
    .expect("an acceptance link");
    (id, link.rsplit('=').next().unwrap().to_string())
}

/// A new person who joins `slug` through an invitation from `by`.
async fn join(
    env: &TestEnv,
    by: Session,
    slug: &str,
    (name, email): (&str, &str),
    membership: (MembershipKind, Role, &[Module]),
) -> Person {
    let (_, token) = invite(env, by, slug, email, membership).await;
    let signed = acceptance::accept_with_new_account(
        &env.state,
        &env.client(),
        None,
        &token,
        name,
        PASSWORD,
    )
    .await
    .unwrap_or_else(|e| panic!("[{}] {email} joining: {e:?}", env.backend));
    Person {
        name: name.into(),
        email: email.into(),
        password: PASSWORD.into(),
        session: signed.session,
        token: signed.token,
    }
}

/// Invites an existing person back into the organization with `membership`;
/// they accept while signed in.
async fn rejoin(
    env: &TestEnv,
    fx: &Fixture,
    person: &Person,
    membership: (MembershipKind, Role, &[Module]),
) {
    let (_, token) = invite(env, fx.cora.session, &fx.slug, &person.email, membership).await;
    acceptance::accept(&env.state, &env.client(), Some(person.session), &token)
        .await
        .unwrap_or_else(|e| panic!("[{}] {} rejoining: {e:?}", env.backend, person.email));
}

async fn log_in(env: &TestEnv, person: &mut Person) {
    let signed = accounts::log_in(
        &env.state,
        &env.client(),
        None,
        &person.email,
        &person.password,
        None,
    )
    .await
    .unwrap_or_else(|e| panic!("[{}] {} logging in: {e:?}", env.backend, person.email));
    person.session = signed.session;
    person.token = signed.token;
}

/// Signs the person in again if their session has ended.
async fn keep_signed_in(env: &TestEnv, person: &mut Person) {
    if env.resolve(&person.token).await.is_none() {
        log_in(env, person).await;
    }
}

async fn fixture(env: &TestEnv) -> Fixture {
    let b = env.backend;
    let (owner_name, owner_email) = Kind::Owner.person().unwrap();
    let (outsider_name, outsider_email) = Kind::Outsider.person().unwrap();
    let owner = env.sign_up(owner_name, owner_email, "Acme").await;
    let slug = owner.landing.trim_start_matches("/o/").to_string();
    let outsider = env.sign_up(outsider_name, outsider_email, "Globex").await;
    let other_slug = outsider.landing.trim_start_matches("/o/").to_string();
    let org = |slug: String| async move {
        consort::db::organizations::find_by_slug(env.db(), &slug)
            .await
            .unwrap()
            .expect("the organization exists")
    };
    let acme = org(slug.clone()).await;
    let globex = org(other_slug.clone()).await;
    let signed = |name: &str, email: &str, s: accounts::SignedIn| Person {
        name: name.into(),
        email: email.into(),
        password: PASSWORD.into(),
        session: s.session,
        token: s.token,
    };
    let mut actors = HashMap::new();
    actors.insert(Kind::Owner, signed(owner_name, owner_email, owner));
    let by = actors[&Kind::Owner].session;
    let team = |role| (MembershipKind::Team, role, &[][..]);
    let cora = join(
        env,
        by,
        &slug,
        ("Cora Coowner", "cora@acme.test"),
        team(Role::Owner),
    )
    .await;
    for kind in [
        Kind::Admin,
        Kind::BillingAdmin,
        Kind::UserWithModules,
        Kind::UserWithoutModules,
        Kind::Partner,
        Kind::PartnerEnded,
        Kind::Deactivated,
        Kind::Removed,
    ] {
        let person = join(
            env,
            by,
            &slug,
            kind.person().unwrap(),
            kind.membership().unwrap(),
        )
        .await;
        actors.insert(kind, person);
    }
    actors.insert(
        Kind::Outsider,
        signed(outsider_name, outsider_email, outsider),
    );
    // Paz's access ended a moment ago.
    env.execute_at(
        "UPDATE memberships SET access_ends_at = $1 WHERE email_key = 'paz@partner.test'",
        chrono::Utc::now() - chrono::Duration::seconds(1),
    )
    .await;
    // Dex has his own organization, and declined Acme's invitation.
    let (dex_name, dex_email) = Kind::DeclinedInvitee.person().unwrap();
    let dex = env.sign_up(dex_name, dex_email, "Dexter Co").await;
    let (dex_invitation, _) = invite(
        env,
        by,
        &slug,
        dex_email,
        (MembershipKind::Partner, Role::User, &[]),
    )
    .await;
    consort::service::invitation_replies::decline(
        &env.state,
        &env.client(),
        Some(dex.session),
        dex_invitation,
    )
    .await
    .unwrap();
    actors.insert(Kind::DeclinedInvitee, signed(dex_name, dex_email, dex));
    let initech = env
        .sign_up("Ian Initech", "ian@initech.test", "Initech")
        .await;
    let initech = (slug_of(&initech), initech.session);
    let initech_code =
        access_requests::new_code(&env.state, &env.client(), Some(initech.1), &initech.0)
            .await
            .unwrap();
    let tina = join(env, by, &slug, TINA, team(Role::User)).await;
    let rex = join(
        env,
        by,
        &slug,
        ("Rex Removable", "rex@acme.test"),
        team(Role::User),
    )
    .await;
    let hal = join(
        env,
        by,
        &slug,
        ("Hal Heir", "hal@acme.test"),
        team(Role::User),
    )
    .await;
    let ivy = join(
        env,
        actors[&Kind::Outsider].session,
        &other_slug,
        ("Ivy Invitee", "ivy@globex.test"),
        team(Role::User),
    )
    .await;
    let (_, ivy_token) = invite(
        env,
        by,
        &slug,
        &ivy.email,
        (MembershipKind::Partner, Role::User, &[Module::Contacts]),
    )
    .await;
    let north = settings::create_sub_account(&env.state, &env.client(), Some(by), &slug, "North")
        .await
        .unwrap();
    let details = consort::domain::billing::BillingDetails {
        contact_name: "Paula Payer".into(),
        contact_email: "bills@acme.test".into(),
        address: "1 Market Street\nSpringfield".into(),
        tax_id: String::new(),
        version: 0,
    };
    billing::save_details(&env.state, &env.client(), Some(by), &slug, details)
        .await
        .unwrap();
    for (kind, deactivate) in [(Kind::Deactivated, true), (Kind::Removed, false)] {
        let user = actors[&kind].user_id();
        let version = members::detail(&env.state, Some(by), &slug, user)
            .await
            .unwrap()
            .version;
        if deactivate {
            members::set_active(
                &env.state,
                &env.client(),
                Some(by),
                &slug,
                user,
                false,
                version,
                None,
            )
            .await
            .unwrap();
        } else {
            members::remove(&env.state, &env.client(), Some(by), &slug, user, version)
                .await
                .unwrap();
        }
    }
    let fx = Fixture {
        app: router(env.state.clone(), false),
        org_id: acme.id,
        slug,
        org_name: acme.name,
        other_org_id: globex.id,
        other_slug,
        actors,
        cora,
        tina,
        rex,
        hal,
        ivy,
        ivy_token,
        initech,
        initech_code,
        north,
        serial: 0,
        signup_tokens: HashMap::new(),
        reset_tokens: HashMap::new(),
        resets_requested: 0,
    };
    // The fixture is what the policy actors say it is: the server reads the same.
    for kind in Kind::ALL {
        let want = fx.policy_actor(kind);
        let org = want.membership.map_or(fx.org_id, |m| m.organization_id);
        let session = fx.person(kind).map(|p| p.session);
        let slug = if org == fx.org_id {
            &fx.slug
        } else {
            &fx.other_slug
        };
        let got = match session {
            None => Actor::anonymous(),
            Some(session) => Actor {
                user_id: Some(session.user_id),
                membership: consort::auth::memo::visit(None, env.db(), slug, session.user_id)
                    .await
                    .unwrap()
                    .and_then(|visit| visit.membership),
            },
        };
        assert_eq!(got, want, "[{b}] the fixture's {kind:?}");
    }
    fx
}

// ---- Arguments -------------------------------------------------------------

/// A fresh request for partner access to Acme, from a new person, with Acme's
/// current request code (made by Cora when there is none).
async fn access_request(env: &TestEnv, fx: &mut Fixture) -> Uuid {
    let n = fx.next();
    let email = format!("rhea{n}@studio.test");
    let rhea = env
        .sign_up(
            &format!("Rhea Requester {n}"),
            &email,
            &format!("Studio {n}"),
        )
        .await;
    let cora = Some(fx.cora.session);
    let shown = settings::settings(&env.state, cora, &fx.slug)
        .await
        .unwrap();
    let code = match shown.partner_request_code {
        Some(code) => code,
        None => access_requests::new_code(&env.state, &env.client(), cora, &fx.slug)
            .await
            .unwrap(),
    };
    let proposal = AccessProposal {
        organization: fx.slug.clone(),
        code,
        ..Default::default()
    };
    access_requests::request(&env.state, &env.client(), Some(rhea.session), proposal)
        .await
        .unwrap();
    access_requests::pending(&env.state, cora, &fx.slug)
        .await
        .unwrap()
        .requests
        .into_iter()
        .find(|r| r.email == email)
        .expect("the request waits")
        .id
}

/// A fresh partnership request to Acme (addressed to Cora) from a new
/// organization: its id and version as Acme's Partners page shows them.
async fn partnership_request(env: &TestEnv, fx: &mut Fixture) -> (Uuid, i64) {
    let n = fx.next();
    let studio = env
        .sign_up(
            &format!("Sol Sender {n}"),
            &format!("sol{n}@studio.test"),
            &format!("Partner Studio {n}"),
        )
        .await;
    let studio_slug = crate::common::slug_of(&studio);
    partnerships::send(
        &env.state,
        &env.client(),
        Some(studio.session),
        &studio_slug,
        &fx.cora.email,
    )
    .await
    .unwrap();
    let name = format!("Partner Studio {n}");
    partnerships::list(
        &env.state,
        Some(fx.cora.session),
        &fx.slug,
        ListPages::default(),
    )
    .await
    .unwrap()
    .received
    .items
    .into_iter()
    .find(|r| r.organization.as_deref() == Some(name.as_str()))
    .map(|r| (r.id, r.version))
    .expect("the request waits")
}

/// Well-formed arguments for `path` as `kind`, pointing at real objects; makes
/// the objects a call uses up (an invitation to cancel, a member to remove).
async fn arguments(env: &TestEnv, fx: &mut Fixture, path: &str, kind: Kind) -> Payload {
    let slug = fx.slug.clone();
    let by = Some(fx.cora.session);
    let state = &env.state;
    // Who the public endpoints act for: the actor, or for a visitor Tina.
    let (own_name, own_email, own_password) = match fx.person(kind) {
        Some(p) => (p.name.clone(), p.email.clone(), p.password.clone()),
        None => (TINA.0.into(), TINA.1.into(), PASSWORD.into()),
    };
    let detail = async |user: Uuid| members::detail(state, by, &slug, user).await.unwrap();
    match path {
        "/api/sign_up" => form([
            ("name", "Nina New".into()),
            ("email", sign_up_address(kind)),
            ("password", PASSWORD.into()),
            ("organization", format!("Venture {kind:?}")),
        ]),
        "/api/sign_up_preview" | "/api/confirm_sign_up" => {
            form([("token", sign_up_token(env, fx, kind).await)])
        }
        "/api/log_in" => form([("email", own_email), ("password", own_password)]),
        "/api/request_password_reset" => form([("email", own_email)]),
        "/api/check_reset_link" => form([("token", reset_token(env, fx, kind).await)]),
        "/api/reset_password" => form([
            ("token", reset_token(env, fx, kind).await),
            ("password", own_password),
        ]),
        "/api/invitation_preview" => {
            let email = format!("preview{}@acme.test", fx.next());
            let (_, token) = invite(env, fx.cora.session, &slug, &email, user_team()).await;
            form([("token", token)])
        }
        "/api/accept_invitation" => form([("token", fx.ivy_token.clone())]),
        "/api/accept_invitation_new_account" => {
            let email = format!("newcomer{}@acme.test", fx.next());
            let (_, token) = invite(env, fx.cora.session, &slug, &email, user_team()).await;
            form([
                ("token", token),
                ("name", "Nico Newcomer".into()),
                ("password", PASSWORD.into()),
            ])
        }
        "/api/log_out"
        | "/api/recent_activity"
        | "/api/current_landing"
        | "/api/my_organizations"
        | "/api/close_account_blockers" => form([]),
        "/api/close_account" => form([("password", own_password)]),
        "/api/decline_invitation" | "/api/accept_waiting_invitation" => {
            let id = match fx.person(kind) {
                Some(person) => {
                    let (slug, owner) = fx.initech.clone();
                    let partner = (MembershipKind::Partner, Role::User, &[][..]);
                    invite(env, owner, &slug, &person.email.clone(), partner)
                        .await
                        .0
                }
                None => consort::db::new_id(),
            };
            form([("id", id.to_string())])
        }
        "/api/create_organization" => {
            let n = fx.next();
            form([("name", format!("Venture {kind:?} {n}"))])
        }
        "/api/request_access" => {
            let proposal = AccessProposal {
                organization: fx.initech.0.clone(),
                code: fx.initech_code.clone(),
                all_sub_accounts: true,
                ..Default::default()
            };
            Payload::Json(json!({ "proposal": proposal }))
        }
        "/api/new_partner_request_code" | "/api/list_access_requests" => form([("slug", slug)]),
        "/api/approve_access_request" => {
            let id = access_request(env, fx).await;
            let grant = AccessGrant {
                role: Role::User,
                modules: vec![Module::Contacts.as_str().into()],
                sub_accounts: None,
                access_until: String::new(),
            };
            Payload::Json(json!({ "slug": slug, "id": id, "grant": grant }))
        }
        "/api/decline_access_request" => {
            let id = access_request(env, fx).await;
            form([("slug", slug), ("id", id.to_string())])
        }
        "/api/list_partnerships" => {
            Payload::Json(json!({ "slug": slug, "pages": ListPages::default() }))
        }
        "/api/export_partnership_timeline" => form([("slug", slug)]),
        "/api/partnership_timeline" => form([("slug", slug), ("page", "1".into())]),
        "/api/send_partnership_request" => form([
            ("slug", slug),
            ("email", format!("prospect{}@elsewhere.test", fx.next())),
        ]),
        "/api/answer_partnership" => {
            let (id, version) = partnership_request(env, fx).await;
            form([
                ("slug", slug),
                ("id", id.to_string()),
                ("version", version.to_string()),
                ("action", "Accept".into()),
            ])
        }
        "/api/update_profile" => form([("name", own_name)]),
        "/api/change_password" => {
            let new = if own_password == PASSWORD {
                OTHER_PASSWORD
            } else {
                PASSWORD
            };
            form([
                ("current_password", own_password),
                ("new_password", new.into()),
            ])
        }
        "/api/org_shell"
        | "/api/invite_options"
        | "/api/organization_settings"
        | "/api/billing_overview"
        | "/api/leave_organization" => form([("slug", slug)]),
        "/api/check_invitations" | "/api/send_invitations" => {
            let row = DraftRow {
                input: format!("guest{}@acme.test", fx.next()),
                kind: MembershipKind::Team,
                access_until: String::new(),
                role: Role::User,
                modules: vec![Module::Contacts],
                sub_accounts: Some(vec![fx.north]),
                restore: false,
            };
            Payload::Json(json!({ "slug": slug, "source": InviteSource::Rows(vec![row]) }))
        }
        "/api/list_invitations" => {
            let query = InvitationQuery {
                page: 1,
                ..Default::default()
            };
            Payload::Json(json!({ "slug": slug, "query": query }))
        }
        "/api/resend_invitation" | "/api/cancel_invitation" => {
            let email = format!("open{}@acme.test", fx.next());
            let (id, _) = invite(env, fx.cora.session, &slug, &email, user_team()).await;
            form([("slug", slug), ("id", id.to_string())])
        }
        "/api/set_invitation_lifetime" => {
            let now = settings::settings(state, by, &slug)
                .await
                .unwrap()
                .invitation_lifetime_secs;
            let other = LIFETIME_CHOICES.into_iter().find(|l| *l != now).unwrap();
            form([("slug", slug), ("lifetime", other.to_string())])
        }
        "/api/set_partner_inactivity" => {
            let now = settings::settings(state, by, &slug)
                .await
                .unwrap()
                .partner_inactivity_days;
            let other = if now == Some(90) { "" } else { "90" };
            form([("slug", slug), ("days", other.to_string())])
        }
        "/api/create_sub_account" => {
            form([("slug", slug), ("name", format!("Branch {}", fx.next()))])
        }
        "/api/rename_sub_account" => form([
            ("slug", slug),
            ("id", fx.north.to_string()),
            ("name", format!("North {}", fx.next())),
        ]),
        "/api/set_sub_account_archived" => {
            let archived = settings::settings(state, by, &slug)
                .await
                .unwrap()
                .sub_accounts
                .iter()
                .find(|s| s.id == fx.north)
                .expect("North exists")
                .archived;
            form([
                ("slug", slug),
                ("id", fx.north.to_string()),
                ("archived", (!archived).to_string()),
            ])
        }
        "/api/list_members" => {
            let query = MemberQuery {
                status: MemberStatus::Active,
                kind: None,
                search: String::new(),
                sort: MemberSort::Name,
                descending: false,
                page: 1,
            };
            Payload::Json(json!({ "slug": slug, "query": query }))
        }
        "/api/member_detail" => form([("slug", slug), ("user_id", fx.tina.user_id().to_string())]),
        "/api/update_member_access" => {
            let tina = detail(fx.tina.user_id()).await;
            let modules = if tina.granted.contains(&Module::Contacts) {
                vec![]
            } else {
                vec![Module::Contacts.as_str().to_string()]
            };
            let change = AccessChange {
                role: Role::User,
                modules,
                sub_accounts: Some(vec![fx.north]),
                version: tina.version,
            };
            Payload::Json(json!({ "slug": slug, "user_id": fx.tina.user_id(), "change": change }))
        }
        "/api/set_member_active" => {
            let tina = detail(fx.tina.user_id()).await;
            form([
                ("slug", slug),
                ("user_id", fx.tina.user_id().to_string()),
                ("active", (tina.status != MemberStatus::Active).to_string()),
                ("version", tina.version.to_string()),
            ])
        }
        "/api/change_member_kind" => {
            let tina = detail(fx.tina.user_id()).await;
            let kind = match tina.kind {
                MembershipKind::Team => MembershipKind::Partner,
                MembershipKind::Partner => MembershipKind::Team,
            };
            form([
                ("slug", slug),
                ("user_id", fx.tina.user_id().to_string()),
                ("kind", kind.as_str().to_string()),
                ("version", tina.version.to_string()),
            ])
        }
        "/api/set_access_end" | "/api/extend_access" => {
            // Only partners have an end: Tina becomes one if she is not.
            let mut tina = detail(fx.tina.user_id()).await;
            if tina.kind == MembershipKind::Team {
                members::change_kind(
                    state,
                    &env.client(),
                    by,
                    &slug,
                    tina.user_id,
                    MembershipKind::Partner,
                    tina.version,
                )
                .await
                .unwrap();
                tina = detail(fx.tina.user_id()).await;
            }
            let mut fields = vec![
                ("slug", slug),
                ("user_id", fx.tina.user_id().to_string()),
                ("version", tina.version.to_string()),
            ];
            if path == "/api/set_access_end" {
                let day =
                    chrono::Utc::now() + chrono::Duration::days(30 + i64::from(fx.next() % 30));
                fields.push(("access_until", day.format("%Y-%m-%d").to_string()));
            }
            Payload::Form(fields)
        }
        "/api/remove_member" => {
            let rex = fx.rex.user_id();
            if members::detail(state, by, &slug, rex).await.is_err() {
                keep_signed_in(env, &mut fx.rex).await;
                rejoin(env, fx, &fx.rex, user_team()).await;
            }
            let version = detail(rex).await.version;
            form([
                ("slug", slug),
                ("user_id", rex.to_string()),
                ("version", version.to_string()),
            ])
        }
        "/api/transfer_ownership" => {
            let version = detail(fx.hal.user_id()).await.version;
            form([
                ("slug", slug),
                ("user_id", fx.hal.user_id().to_string()),
                ("version", version.to_string()),
                ("step_down", "false".into()),
            ])
        }
        "/api/delete_organization" => form([("slug", slug), ("confirm_name", fx.org_name.clone())]),
        // Filtered by the organization itself: from another organization
        // (`BY_ID`) that id names a directory it does not hold.
        "/api/list_contacts" => {
            let query = ContactQuery {
                organization: Some(fx.org_id),
                page: 1,
                ..Default::default()
            };
            Payload::Json(json!({ "slug": slug, "query": query }))
        }
        "/api/list_audit_events" | "/api/export_audit_log" => {
            let query = AuditQuery {
                page: 1,
                ..Default::default()
            };
            Payload::Json(json!({ "slug": slug, "query": query }))
        }
        "/api/save_billing_details" => {
            let version = billing::overview(state, by, &slug)
                .await
                .unwrap()
                .details
                .version;
            form([
                ("slug", slug),
                ("contact_name", format!("Paula Payer {}", fx.next())),
                ("contact_email", "bills@acme.test".into()),
                ("address", "1 Market Street\nSpringfield".into()),
                ("tax_id", String::new()),
                ("version", version.to_string()),
            ])
        }
        other => panic!(
            "{other} has no arguments: add them to `arguments` in tests/integration/http_matrix.rs"
        ),
    }
}

fn user_team() -> (MembershipKind, Role, &'static [Module]) {
    (MembershipKind::Team, Role::User, &[])
}

fn sign_up_address(kind: Kind) -> String {
    format!("venture-{kind:?}@new.test").to_lowercase()
}

/// The link of the sign-up `kind` asked for (asked through the service if the
/// call was not made).
async fn sign_up_token(env: &TestEnv, fx: &mut Fixture, kind: Kind) -> String {
    if let Some(token) = fx.signup_tokens.get(&kind) {
        return token.clone();
    }
    let email = sign_up_address(kind);
    accounts::request_sign_up(
        &env.state,
        &env.client(),
        accounts::SignUp {
            name: "Nina New".into(),
            email: email.clone(),
            password: PASSWORD.into(),
            organization: format!("Venture {kind:?}"),
        },
    )
    .await
    .unwrap();
    let token = env.sign_up_token(&email).await;
    fx.signup_tokens.insert(kind, token.clone());
    token
}

/// The reset link of `kind`'s address (Tina's for a visitor), asked through
/// the service if the call was not made.
async fn reset_token(env: &TestEnv, fx: &mut Fixture, kind: Kind) -> String {
    if let Some(token) = fx.reset_tokens.get(&kind) {
        return token.clone();
    }
    let email = fx
        .person(kind)
        .map_or(TINA.1.to_string(), |p| p.email.clone());
    passwords::request_reset(&env.state, &env.client(), &email)
        .await
        .unwrap();
    fx.resets_requested += 1;
    reset_link_arrived(env, fx, kind, &email).await
}

async fn reset_link_arrived(env: &TestEnv, fx: &mut Fixture, kind: Kind, email: &str) -> String {
    env.wait_for_action(AuditAction::PasswordResetRequested, fx.resets_requested)
        .await;
    let mail = wait_for_mail(env, email, "Reset your Consort password").await;
    let link = link_in(
        &mail.text_body,
        "http://localhost:3000/reset-password?token=",
    )
    .expect("a reset link");
    let token = link.rsplit('=').next().unwrap().to_string();
    fx.reset_tokens.insert(kind, token.clone());
    token
}

// ---- After an allowed call ---------------------------------------------------

/// Keeps the fixture as it was meant to be after an allowed call: the actor
/// signed in as themself, in their membership, with the links they will use.
async fn after_allowed(env: &TestEnv, fx: &mut Fixture, path: &str, kind: Kind, answer: &Answer) {
    let b = env.backend;
    match path {
        "/api/close_account" => {
            // The account is gone: nobody to sign in again.
            assert!(
                answer.session_cookie().is_some_and(|t| t.is_empty()),
                "[{b}] closing clears the session cookie"
            );
            assert!(
                env.resolve(&fx.actors[&kind].token).await.is_none(),
                "[{b}] {kind:?}'s session ended"
            );
            return;
        }
        "/api/sign_up" => {
            let token = env.sign_up_token(&sign_up_address(kind)).await;
            fx.signup_tokens.insert(kind, token);
        }
        "/api/confirm_sign_up" => {
            fx.signup_tokens.remove(&kind);
        }
        "/api/request_password_reset" => {
            fx.resets_requested += 1;
            fx.reset_tokens.remove(&kind);
            let email = fx
                .person(kind)
                .map_or(TINA.1.to_string(), |p| p.email.clone());
            reset_link_arrived(env, fx, kind, &email).await;
        }
        "/api/reset_password" => {
            fx.reset_tokens.remove(&kind);
        }
        "/api/current_landing" if kind == Kind::Anonymous => {
            assert_eq!(answer.body.trim(), "null", "[{b}] a visitor's landing");
        }
        "/api/accept_invitation_new_account" => {
            assert!(
                answer.session_cookie().is_some_and(|t| !t.is_empty()),
                "[{b}] the new account is signed in"
            );
        }
        "/api/leave_organization" => {
            let (membership, person) = (kind.membership().unwrap(), &fx.actors[&kind]);
            rejoin(env, fx, person, membership).await;
        }
        "/api/create_organization" => {
            // They went to their new organization; it goes again, so they are
            // a team member nowhere, as before.
            let person = &fx.actors[&kind];
            let landing = answer
                .redirect()
                .expect("the answer goes to the new organization");
            let slug = landing.trim_start_matches("/o/");
            let name = consort::db::organizations::find_by_slug(env.db(), slug)
                .await
                .unwrap()
                .expect("the new organization")
                .name;
            consort::service::ownership::delete(
                &env.state,
                &env.client(),
                Some(person.session),
                slug,
                &name,
            )
            .await
            .unwrap_or_else(|e| panic!("[{b}] deleting {kind:?}'s new organization: {e:?}"));
        }
        _ => {}
    }
    if let Some(person) = fx.actors.get_mut(&kind) {
        // Log-in and a password change give the caller a new session.
        if matches!(path, "/api/log_in" | "/api/change_password") {
            person.token = answer
                .session_cookie()
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| panic!("[{b}] {path} as {kind:?} sets a session cookie"));
            person.session = env.resolve(&person.token).await.expect("a live session");
        }
        if path == "/api/change_password" {
            person.password = if person.password == PASSWORD {
                OTHER_PASSWORD.into()
            } else {
                PASSWORD.into()
            };
        }
        keep_signed_in(env, person).await;
    }
}

/// What an allowed call's answer must contain: proof it met the real objects.
fn evidence(path: &str) -> Option<&'static str> {
    match path {
        "/api/list_members" | "/api/member_detail" | "/api/list_contacts" => Some(TINA.1),
        "/api/org_shell" => Some("Acme"),
        "/api/invite_options" | "/api/organization_settings" => Some("North"),
        "/api/list_invitations" => Some("@acme.test"),
        "/api/billing_overview" => Some("bills@acme.test"),
        "/api/list_audit_events" | "/api/export_audit_log" => Some("@acme.test"),
        "/api/sign_up_preview" => Some("Nina New"),
        "/api/invitation_preview" => Some("Cora Coowner"),
        _ => None,
    }
}

// ---- The tests -------------------------------------------------------------

fn registered_server_functions() -> BTreeSet<String> {
    // Linking the router pulls in every server function's registration.
    let _ = router;
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect()
}

#[test]
fn every_server_function_is_in_the_http_matrix() {
    let registered = registered_server_functions();
    assert!(!registered.is_empty(), "the registry is visible to tests");
    let table: BTreeSet<String> = ENDPOINTS.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(table.len(), ENDPOINTS.len(), "each endpoint once");
    let missing: Vec<&String> = registered.difference(&table).collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the HTTP permission matrix: {missing:?}. Add each to \
         ENDPOINTS in tests/integration/http_matrix.rs with the policy action it must ask, and \
         its arguments to `arguments`."
    );
    let gone: Vec<&String> = table.difference(&registered).collect();
    assert!(
        gone.is_empty(),
        "ENDPOINTS names server functions that are not registered: {gone:?}"
    );
    let asked: BTreeSet<String> = ENDPOINTS.iter().map(|(_, a)| format!("{a:?}")).collect();
    for action in Action::ALL {
        assert!(
            asked.contains(&format!("{action:?}")),
            "{action:?} is asked by no server function"
        );
    }
    assert_eq!(
        ENDPOINTS.last().map(|(p, _)| *p),
        Some("/api/close_account"),
        "closing accounts comes last"
    );
    assert_eq!(
        ENDPOINTS[ENDPOINTS.len() - 3].0,
        "/api/delete_organization",
        "deleting the organization comes just before"
    );
}

#[tokio::test]
async fn every_page_is_in_the_http_matrix() {
    let routes: BTreeSet<String> = leptos_axum::generate_route_list(consort::app::App)
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    let mut listed: BTreeSet<String> = PAGES
        .iter()
        .map(|(p, _)| format!("/o/{{slug}}{p}"))
        .collect();
    listed.extend(PUBLIC_PAGES.iter().map(|p| p.to_string()));
    // Axum patterns: `:name` in older versions, `{name}` now.
    let routes: BTreeSet<String> = routes
        .into_iter()
        .map(|r| {
            r.split('/')
                .map(|s| match s.strip_prefix(':') {
                    Some(name) => format!("{{{name}}}"),
                    None => s.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        })
        .map(|r| if r.is_empty() { "/".into() } else { r })
        .collect();
    assert_eq!(
        routes, listed,
        "every page route must be in PAGES (inside an organization) or PUBLIC_PAGES of \
         tests/integration/http_matrix.rs"
    );
}

/// Every server function as every actor.
#[tokio::test]
async fn every_endpoint_answers_exactly_the_actors_the_policy_allows() {
    on_each_backend(async |env| {
        let b = env.backend;
        let mut fx = fixture(env).await;
        let mut failures: Vec<String> = Vec::new();
        // What was checked, for `--nocapture`: who each endpoint lets through.
        let mut matrix: Vec<String> = Vec::new();

        pages(env, &mut fx, &mut failures).await;

        let registered = registered_server_functions();
        for (path, action) in ENDPOINTS {
            assert!(registered.contains(*path), "{path} is registered");
            let mut calls: Vec<(Kind, Expect)> = Kind::ALL
                .into_iter()
                .map(|kind| (kind, fx.expect(path, *action, kind)))
                .collect();
            // Refusals first, while every object is as the fixture made it.
            calls.sort_by_key(|(_, want)| *want == Expect::Pass);
            let passing: Vec<Kind> = calls
                .iter()
                .filter(|(_, want)| *want == Expect::Pass)
                .map(|(kind, _)| *kind)
                .collect();
            matrix.push(format!("{path} {action:?}: {passing:?}"));
            for (kind, want) in calls {
                let payload = arguments(env, &mut fx, path, kind).await;
                let before = match want {
                    Expect::Refused(_) => Some(snapshot(env, REFRESHED_BY_EVERY_REQUEST).await),
                    Expect::Pass => None,
                };
                let answer = send(&fx.app, post(path, fx.token(kind), &payload)).await;
                let what = format!("[{b}] {path} ({action:?}) as {kind:?}");
                match (want, before) {
                    (Expect::Refused(status), Some(before)) => {
                        if answer.status != status {
                            failures.push(format!(
                                "{what}: expected {status}, got {}: {}",
                                answer.status, answer.body
                            ));
                        }
                        let after = snapshot(env, REFRESHED_BY_EVERY_REQUEST).await;
                        if let Some(diff) = snapshot_difference(&before, &after) {
                            failures.push(format!("{what} was refused but changed:{diff}"));
                        }
                    }
                    _ => {
                        if answer.status != StatusCode::OK {
                            failures.push(format!(
                                "{what}: expected 200, got {}: {}",
                                answer.status, answer.body
                            ));
                            continue;
                        }
                        if let Some(text) = evidence(path)
                            && !answer.body.contains(text)
                        {
                            failures.push(format!(
                                "{what}: the answer does not show {text}: {}",
                                answer.body
                            ));
                        }
                        after_allowed(env, &mut fx, path, kind, &answer).await;
                    }
                }
            }
            if BY_ID.contains(path) {
                let mut payload = arguments(env, &mut fx, path, Kind::Outsider).await;
                payload.set("slug", &fx.other_slug);
                let before = snapshot(env, REFRESHED_BY_EVERY_REQUEST).await;
                let token = fx.token(Kind::Outsider);
                let answer = send(&fx.app, post(path, token, &payload)).await;
                let what =
                    format!("[{b}] {path} by Globex's owner in Globex, naming Acme's object");
                if answer.status != StatusCode::NOT_FOUND {
                    failures.push(format!(
                        "{what}: expected 404, got {}: {}",
                        answer.status, answer.body
                    ));
                }
                let after = snapshot(env, REFRESHED_BY_EVERY_REQUEST).await;
                if let Some(diff) = snapshot_difference(&before, &after) {
                    failures.push(format!("{what} changed:{diff}"));
                }
            }
            if *path == "/api/accept_invitation" {
                // The invited person may.
                let payload = arguments(env, &mut fx, path, Kind::Anonymous).await;
                let answer = send(&fx.app, post(path, Some(&fx.ivy.token), &payload)).await;
                assert_eq!(
                    answer.status,
                    StatusCode::OK,
                    "[{b}] Ivy accepts: {}",
                    answer.body
                );
                let ivy = consort::auth::memo::visit(None, env.db(), &fx.slug, fx.ivy.user_id())
                    .await
                    .unwrap()
                    .and_then(|visit| visit.membership)
                    .expect("Ivy is a member now");
                assert_eq!(ivy.kind, MembershipKind::Partner, "[{b}]");
            }
        }
        eprintln!("[{b}] answered 200:\n{}", matrix.join("\n"));
        // Every change the matrix made kept the member counts right.
        env.assert_member_counts().await;
        let gone = consort::db::organizations::find_by_slug(env.db(), &fx.slug)
            .await
            .unwrap();
        assert!(gone.is_none(), "[{b}] the owner deleted the organization");
        assert!(
            failures.is_empty(),
            "{} calls went wrong:\n{}",
            failures.len(),
            failures.join("\n")
        );
    })
    .await;
}

/// The organization's pages as every actor, then the routes that are neither
/// pages nor server functions. Whoever may not see a page's data gets the
/// refusal's status, a page without the organization's people, and changes
/// nothing.
async fn pages(env: &TestEnv, fx: &mut Fixture, failures: &mut Vec<String>) {
    let b = env.backend;
    // Names and addresses only members may see (each actor's own aside).
    let mut people: Vec<(String, String)> = vec![
        (TINA.0.into(), TINA.1.into()),
        (fx.cora.name.clone(), fx.cora.email.clone()),
        (fx.hal.name.clone(), fx.hal.email.clone()),
        (fx.rex.name.clone(), fx.rex.email.clone()),
    ];
    for kind in [
        Kind::Owner,
        Kind::Admin,
        Kind::BillingAdmin,
        Kind::UserWithModules,
        Kind::UserWithoutModules,
        Kind::Partner,
        Kind::Deactivated,
    ] {
        let p = &fx.actors[&kind];
        people.push((p.name.clone(), p.email.clone()));
    }
    for (pattern, action) in PAGES {
        let path = format!(
            "/o/{}{}",
            fx.slug,
            pattern.replace("{user_id}", &fx.tina.user_id().to_string())
        );
        for kind in Kind::ALL {
            let what = format!("[{b}] GET {path} as {kind:?}");
            let shell = fx.expect("", Action::ViewOrganization, kind);
            let page = fx.expect("", *action, kind);
            let want = match (kind, shell, page) {
                (Kind::Anonymous, _, _) => StatusCode::FOUND,
                (_, Expect::Refused(status), _) | (_, _, Expect::Refused(status)) => status,
                _ => StatusCode::OK,
            };
            // A page refused only for its data still shows the frame, which the
            // member may see and which notes their activity (at most every few
            // minutes): that column may change then, and only then.
            let ignore: &[(&str, &str)] = if shell == Expect::Pass {
                &[
                    REFRESHED_BY_EVERY_REQUEST[0],
                    ("memberships", "last_active_at"),
                ]
            } else {
                REFRESHED_BY_EVERY_REQUEST
            };
            let before = snapshot(env, ignore).await;
            let answer = send(&fx.app, get(&path, fx.token(kind))).await;
            if answer.status != want {
                failures.push(format!("{what}: expected {want}, got {}", answer.status));
            }
            if kind == Kind::Anonymous {
                let location = answer.headers.get(header::LOCATION);
                let login = format!("/login?next={path}");
                if location.and_then(|l| l.to_str().ok()) != Some(login.as_str()) {
                    failures.push(format!("{what}: sent to {location:?}, not to log in"));
                }
            }
            if want == StatusCode::OK {
                // Allowed: the page shows the organization's people where it lists them.
                if matches!(*pattern, "/members" | "/contacts" | "/members/{user_id}")
                    && !answer.body.contains(TINA.1)
                {
                    failures.push(format!("{what}: Tina is not shown"));
                }
                continue;
            }
            let own = fx.person(kind).map(|p| p.email.clone());
            for (name, email) in &people {
                if Some(email) != own.as_ref()
                    && (answer.body.contains(name.as_str()) || answer.body.contains(email.as_str()))
                {
                    failures.push(format!("{what}: the refused page shows {name}"));
                }
            }
            let after = snapshot(env, ignore).await;
            if let Some(diff) = snapshot_difference(&before, &after) {
                failures.push(format!("{what} was refused but changed:{diff}"));
            }
        }
    }
    for path in PUBLIC_PAGES {
        let answer = send(&fx.app, get(path, None)).await;
        for (name, email) in &people {
            if answer.body.contains(name.as_str()) || answer.body.contains(email.as_str()) {
                failures.push(format!("[{b}] GET {path} as a visitor shows {name}"));
            }
        }
    }
    // My organizations: each signed-in person sees their own organizations and
    // invitations, never the people of Acme; a visitor is sent to log in.
    for kind in Kind::ALL {
        let what = format!("[{b}] GET /organizations as {kind:?}");
        let answer = send(&fx.app, get("/organizations", fx.token(kind))).await;
        let want = match kind {
            Kind::Anonymous => StatusCode::FOUND,
            _ => StatusCode::OK,
        };
        if answer.status != want {
            failures.push(format!("{what}: expected {want}, got {}", answer.status));
        }
        let own = fx.person(kind).map(|p| p.email.clone());
        if let Some(own) = &own
            && !answer.body.contains(own.as_str())
        {
            failures.push(format!("{what}: does not show the person's own address"));
        }
        for (name, email) in &people {
            if Some(email) != own.as_ref()
                && (answer.body.contains(name.as_str()) || answer.body.contains(email.as_str()))
            {
                failures.push(format!("{what}: shows {name}"));
            }
        }
    }
    // Outside Leptos: the health check for anyone; the development mailbox
    // only where it is mounted (it holds every mail, so only on a developer's
    // own machine), for anyone there.
    let with_mailbox = router(env.state.clone(), true);
    let mail = wait_for_mail(env, TINA.1, "invited you").await;
    for kind in Kind::ALL {
        let token = fx.token(kind);
        let mut expect = vec![
            (&fx.app, "/healthz".to_string(), StatusCode::OK),
            (&fx.app, "/dev/mailbox".into(), StatusCode::NOT_FOUND),
            (
                &fx.app,
                format!("/dev/mailbox/{}", mail.id),
                StatusCode::NOT_FOUND,
            ),
        ];
        expect.extend([
            (&with_mailbox, "/dev/mailbox".to_string(), StatusCode::OK),
            (
                &with_mailbox,
                format!("/dev/mailbox/{}", mail.id),
                StatusCode::OK,
            ),
        ]);
        for (app, path, want) in expect {
            let answer = send(app, get(&path, token)).await;
            if answer.status != want {
                failures.push(format!(
                    "[{b}] GET {path} as {kind:?}: expected {want}, got {}",
                    answer.status
                ));
            }
        }
    }
}
