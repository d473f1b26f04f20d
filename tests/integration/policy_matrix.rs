//! The policy as a full matrix: every action × every kind of actor. That every
//! server function asks the right action is checked over HTTP, in
//! `http_matrix.rs`.

use consort::domain::module::{self, Module};
use consort::domain::policy::{Action, Actor, Denied, MembershipFacts, Target, allowed};
use consort::domain::role::{MemberStatus, MembershipKind, Role};
use uuid::Uuid;

const ME: Uuid = Uuid::from_u128(1);
const SOMEONE_ELSE: Uuid = Uuid::from_u128(2);
const ORG: Uuid = Uuid::from_u128(10);
const OTHER_ORG: Uuid = Uuid::from_u128(11);

/// The kinds of actor of DESIGN.md, with the modules their role and grants give.
fn actors() -> Vec<(&'static str, Actor)> {
    let member = |kind, role, granted: &[Module], status, org| Actor {
        user_id: Some(ME),
        membership: Some(MembershipFacts {
            organization_id: org,
            kind,
            role,
            status,
            modules: module::effective(role, granted).into_iter().collect(),
            sub_account_scope: None,
        }),
    };
    use MemberStatus::*;
    use MembershipKind::*;
    vec![
        ("owner", member(Team, Role::Owner, &[], Active, ORG)),
        ("admin", member(Team, Role::Admin, &[], Active, ORG)),
        (
            "billing_admin",
            member(Team, Role::BillingAdmin, &[], Active, ORG),
        ),
        (
            "user without modules",
            member(Team, Role::User, &[], Active, ORG),
        ),
        (
            "user with Contacts",
            member(Team, Role::User, &[Module::Contacts], Active, ORG),
        ),
        // Grants a user may not hold are dropped: this is a user with Partners and Contacts.
        (
            "user granted every module",
            member(Team, Role::User, &Module::ALL, Active, ORG),
        ),
        (
            "partner with Contacts",
            member(Partner, Role::User, &[Module::Contacts], Active, ORG),
        ),
        (
            "deactivated admin",
            member(Team, Role::Admin, &[], Deactivated, ORG),
        ),
        ("removed", Actor::user(ME)),
        (
            "owner of another organization",
            member(Team, Role::Owner, &[], Active, OTHER_ORG),
        ),
        ("anonymous", Actor::anonymous()),
    ]
}

const ACTORS: usize = 11;

/// Expected outcome of `action` on its natural target, per actor (same order as `actors`).
fn expected(action: Action) -> [Result<(), Denied>; ACTORS] {
    use Denied::*;
    let y = Ok(());
    let f = Err(Forbidden);
    let m = |module| Err(MissingModule(module));
    // Deactivated, removed, another organization's owner, anonymous: never inside.
    let outside = [
        Err(Deactivated),
        Err(NotAMember),
        Err(NotAMember),
        Err(NotSignedIn),
    ];
    let inside = |first: [Result<(), Denied>; 7]| {
        let mut all = [y; ACTORS];
        all[..7].copy_from_slice(&first);
        all[7..].copy_from_slice(&outside);
        all
    };
    match action {
        Action::SignUp
        | Action::LogIn
        | Action::RequestPasswordReset
        | Action::ResetPassword
        | Action::ViewInvitationLink
        | Action::AcceptInvitation => [y; ACTORS],
        Action::LogOut
        | Action::ViewAccount
        | Action::UpdateProfile
        | Action::ChangePassword
        | Action::RespondToInvitation
        | Action::CloseAccount
        | Action::RequestAccess
        | Action::CreateOrganization => {
            let mut all = [y; ACTORS];
            all[ACTORS - 1] = Err(NotSignedIn);
            all
        }
        Action::ViewOrganization | Action::LeaveOrganization => inside([y, y, y, y, y, y, y]),
        // Billing admins read the members; role user never holds the Members module.
        Action::ViewMembers => {
            let no = m(Module::Members);
            inside([y, y, y, no, no, no, no])
        }
        Action::InviteMembers
        | Action::ViewInvitations
        | Action::ManageInvitations
        | Action::ManageMembers
        | Action::ViewAccessRequests
        | Action::AnswerAccessRequest => {
            let no = m(Module::Members);
            inside([y, y, f, no, no, no, no])
        }
        // The one module role user can be given: with it yes, without it no.
        Action::ViewContacts => inside([y, y, m(Module::Contacts), m(Module::Contacts), y, y, y]),
        // Partners: billing admins by role, users only when granted, and then to look.
        Action::ViewPartnerships => {
            let no = m(Module::Partners);
            inside([y, y, y, no, no, y, no])
        }
        Action::ManagePartnerships | Action::ViewPartnershipTimeline => {
            let no = m(Module::Partners);
            inside([y, y, y, no, no, f, no])
        }
        Action::ViewSettings | Action::ManageSettings => {
            let no = m(Module::Settings);
            inside([y, y, no, no, no, no, no])
        }
        Action::ViewAuditLog => {
            let no = m(Module::AuditLog);
            inside([y, y, no, no, no, no, no])
        }
        Action::ViewBilling | Action::ManageBilling => {
            let no = m(Module::Billing);
            inside([y, y, y, no, no, no, no])
        }
        Action::TransferOwnership | Action::DeleteOrganization => inside([y, f, f, f, f, f, f]),
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
        Action::LogOut
        | Action::ViewAccount
        | Action::UpdateProfile
        | Action::ChangePassword
        | Action::RespondToInvitation
        | Action::CloseAccount
        | Action::RequestAccess
        | Action::CreateOrganization => Target::Account(ME),
        _ => Target::Organization(ORG),
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
fn nobody_grants_a_role_above_their_own() {
    use consort::domain::policy::may_grant_role;
    for role in Role::ALL {
        assert!(may_grant_role(Role::Owner, role));
        assert_eq!(may_grant_role(Role::Admin, role), role != Role::Owner);
        assert!(!may_grant_role(Role::BillingAdmin, role));
        assert!(!may_grant_role(Role::User, role));
    }
}

#[test]
fn only_team_members_see_the_people_of_partner_organizations() {
    use consort::domain::policy::sees_partner_people;
    assert!(sees_partner_people(MembershipKind::Team));
    // A partner of A (an accountant) gains nothing of A's partnerships.
    assert!(!sees_partner_people(MembershipKind::Partner));
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

#[test]
fn nobody_grants_sub_accounts_beyond_their_own() {
    use consort::domain::policy::may_grant_sub_accounts;
    let (north, south) = (Uuid::from_u128(20), Uuid::from_u128(21));
    let limited: &[Uuid] = &[north];
    assert!(may_grant_sub_accounts(None, None));
    assert!(may_grant_sub_accounts(None, Some(&[north, south])));
    assert!(may_grant_sub_accounts(Some(limited), Some(&[north])));
    assert!(may_grant_sub_accounts(Some(limited), Some(&[])));
    assert!(!may_grant_sub_accounts(Some(limited), None), "never all");
    assert!(!may_grant_sub_accounts(
        Some(limited),
        Some(&[north, south])
    ));
}
