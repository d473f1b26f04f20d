//! The policy as a full matrix: every action × every kind of actor, and every
//! registered server function mapped to the actions it performs.

use consort::domain::policy::{Action, Actor, Denied, MembershipFacts, Target, allowed};
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use uuid::Uuid;

const ME: Uuid = Uuid::from_u128(1);
const SOMEONE_ELSE: Uuid = Uuid::from_u128(2);
const ORG: Uuid = Uuid::from_u128(10);
const OTHER_ORG: Uuid = Uuid::from_u128(11);

/// The kinds of actor of DESIGN.md.
fn actors() -> Vec<(&'static str, Actor)> {
    let member = |kind, role, status, org| Actor {
        user_id: Some(ME),
        membership: Some(MembershipFacts {
            organization_id: org,
            kind,
            role,
            status,
        }),
    };
    vec![
        (
            "owner",
            member(MembershipKind::Team, Role::Owner, MemberStatus::Active, ORG),
        ),
        (
            "admin",
            member(MembershipKind::Team, Role::Admin, MemberStatus::Active, ORG),
        ),
        (
            "billing_admin",
            member(
                MembershipKind::Team,
                Role::BillingAdmin,
                MemberStatus::Active,
                ORG,
            ),
        ),
        (
            "user",
            member(MembershipKind::Team, Role::User, MemberStatus::Active, ORG),
        ),
        (
            "partner",
            member(
                MembershipKind::Partner,
                Role::User,
                MemberStatus::Active,
                ORG,
            ),
        ),
        (
            "deactivated",
            member(
                MembershipKind::Team,
                Role::Admin,
                MemberStatus::Deactivated,
                ORG,
            ),
        ),
        ("removed", Actor::user(ME)),
        (
            "other_org_owner",
            member(
                MembershipKind::Team,
                Role::Owner,
                MemberStatus::Active,
                OTHER_ORG,
            ),
        ),
        ("anonymous", Actor::anonymous()),
    ]
}

/// Expected outcome of `action` on its natural target, per actor (same order as `actors`).
fn expected(action: Action) -> [Result<(), Denied>; 9] {
    use Denied::*;
    let ok = Ok(());
    match action {
        Action::SignUp
        | Action::LogIn
        | Action::RequestPasswordReset
        | Action::ResetPassword
        | Action::ViewInvitationLink
        | Action::AcceptInvitation => [ok; 9],
        Action::LogOut | Action::ViewAccount | Action::UpdateProfile | Action::ChangePassword => {
            [ok, ok, ok, ok, ok, ok, ok, ok, Err(NotSignedIn)]
        }
        Action::ViewOrganization => [
            ok,
            ok,
            ok,
            ok,
            ok,
            Err(Deactivated),
            Err(NotAMember),
            Err(NotAMember),
            Err(NotSignedIn),
        ],
        // Billing admins read the members; users and partners (role user) do not.
        Action::ViewMembers => [
            ok,
            ok,
            ok,
            Err(Forbidden),
            Err(Forbidden),
            Err(Deactivated),
            Err(NotAMember),
            Err(NotAMember),
            Err(NotSignedIn),
        ],
        // Owners and admins only.
        Action::InviteMembers
        | Action::ViewInvitations
        | Action::ManageInvitations
        | Action::ViewSettings
        | Action::ManageSettings
        | Action::ManageMembers => [
            ok,
            ok,
            Err(Forbidden),
            Err(Forbidden),
            Err(Forbidden),
            Err(Deactivated),
            Err(NotAMember),
            Err(NotAMember),
            Err(NotSignedIn),
        ],
    }
}

fn natural_target(action: Action) -> Target {
    match action {
        Action::SignUp
        | Action::LogIn
        | Action::RequestPasswordReset
        | Action::ResetPassword
        | Action::ViewInvitationLink
        | Action::AcceptInvitation => Target::Nobody,
        Action::LogOut | Action::ViewAccount | Action::UpdateProfile | Action::ChangePassword => {
            Target::Account(ME)
        }
        Action::ViewOrganization
        | Action::ViewMembers
        | Action::InviteMembers
        | Action::ViewInvitations
        | Action::ManageInvitations
        | Action::ViewSettings
        | Action::ManageSettings
        | Action::ManageMembers => Target::Organization(ORG),
    }
}

#[test]
fn every_action_for_every_actor() {
    for action in Action::ALL {
        let expected = expected(action);
        for ((name, actor), want) in actors().into_iter().zip(expected) {
            assert_eq!(
                allowed(&actor, action, &natural_target(action)),
                want,
                "{action:?} by {name}"
            );
        }
    }
}

#[test]
fn nobody_acts_on_another_account_or_with_a_mismatched_target() {
    for action in Action::ALL {
        for (name, actor) in actors() {
            if let Target::Account(_) = natural_target(action) {
                assert!(
                    allowed(&actor, action, &Target::Account(SOMEONE_ELSE)).is_err(),
                    "{action:?} by {name} on someone else"
                );
            }
            for wrong in [
                Target::Nobody,
                Target::Account(ME),
                Target::Organization(ORG),
            ] {
                if wrong != natural_target(action) {
                    assert!(
                        allowed(&actor, action, &wrong).is_err(),
                        "{action:?} by {name} on {wrong:?} is denied by default"
                    );
                }
            }
        }
    }
}

#[test]
fn every_server_function_is_in_the_matrix() {
    // Linking the router pulls in every server function's registration.
    let _ = consort::web::router::router;
    let registered: std::collections::BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let mapped: std::collections::BTreeSet<String> = consort::server::ENDPOINTS
        .iter()
        .map(|(path, _)| path.to_string())
        .collect();
    assert!(
        !registered.is_empty(),
        "the registry of server functions is visible to tests"
    );
    assert_eq!(
        registered, mapped,
        "every server function must be mapped to its policy actions in server::ENDPOINTS"
    );
    let covered: std::collections::HashSet<Action> = consort::server::ENDPOINTS
        .iter()
        .flat_map(|(_, a)| a.iter().copied())
        .collect();
    for action in Action::ALL {
        assert!(
            covered.contains(&action),
            "{action:?} is performed by no server function"
        );
    }
}

#[test]
fn nobody_grants_a_role_above_their_own() {
    use consort::domain::policy::may_grant_role;
    use consort::domain::role::Role;
    for role in Role::ALL {
        assert!(may_grant_role(Role::Owner, role));
        assert_eq!(may_grant_role(Role::Admin, role), role != Role::Owner);
        assert!(!may_grant_role(Role::BillingAdmin, role));
        assert!(!may_grant_role(Role::User, role));
    }
}

#[test]
fn only_owners_touch_owners_and_nobody_raises_above_their_role() {
    use consort::domain::policy::{MemberRule, may_change_member};
    use consort::domain::role::Role::*;
    assert_eq!(may_change_member(Owner, Owner, Admin), Ok(()));
    assert_eq!(may_change_member(Owner, User, Owner), Ok(()));
    assert_eq!(may_change_member(Admin, User, Admin), Ok(()));
    assert_eq!(may_change_member(Admin, Admin, User), Ok(()));
    assert_eq!(
        may_change_member(Admin, Owner, Owner),
        Err(MemberRule::OnlyOwnersTouchOwners)
    );
    assert_eq!(
        may_change_member(Admin, Owner, Admin),
        Err(MemberRule::OnlyOwnersTouchOwners)
    );
    // An admin cannot raise anyone, including themself, above admin.
    assert_eq!(
        may_change_member(Admin, Admin, Owner),
        Err(MemberRule::AboveYourRole)
    );
    assert_eq!(
        may_change_member(Admin, User, Owner),
        Err(MemberRule::AboveYourRole)
    );
}
