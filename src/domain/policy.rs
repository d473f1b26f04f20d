//! Who may do what. One pure function, [`allowed`], decides every action of
//! every server function; it denies by default.

use super::member::MembershipId;
use super::module::{Module, ModuleSet};
use super::role::{MemberStatus, MembershipKind, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Every action a server function performs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    // Anyone, signed in or not.
    SignUp,
    LogIn,
    RequestPasswordReset,
    ResetPassword,
    // The signed-in person, on their own account.
    LogOut,
    ViewAccount,
    UpdateProfile,
    ChangePassword,
    /// Accept or decline, from My organizations, an invitation addressed to
    /// the account's own email.
    RespondToInvitation,
    /// Close one's own account (with the password).
    CloseAccount,
    /// Ask an organization for partner access with its request code.
    RequestAccess,
    /// Create an organization of one's own and become its owner (for a
    /// person who is a team member nowhere, say a partner of others).
    CreateOrganization,
    // Anyone holding an invitation link (the token is the authority).
    ViewInvitationLink,
    AcceptInvitation,
    // Inside one organization.
    ViewOrganization,
    LeaveOrganization,
    ViewMembers,
    InviteMembers,
    ViewInvitations,
    ManageInvitations,
    ManageMembers,
    /// See the requests for partner access waiting in the organization.
    ViewAccessRequests,
    /// Approve (with the access the admin chooses) or decline one.
    AnswerAccessRequest,
    ViewContacts,
    /// See the organization's partner organizations and requests.
    ViewPartnerships,
    /// Send, accept, reject and delete partnerships with other organizations.
    ManagePartnerships,
    /// Read (and export) the history of the organization's partnerships.
    ViewPartnershipTimeline,
    ViewSettings,
    ManageSettings,
    ViewAuditLog,
    ViewBilling,
    ManageBilling,
    TransferOwnership,
    DeleteOrganization,
}

impl Action {
    pub const ALL: [Action; 34] = [
        Action::SignUp,
        Action::LogIn,
        Action::RequestPasswordReset,
        Action::ResetPassword,
        Action::LogOut,
        Action::ViewAccount,
        Action::UpdateProfile,
        Action::ChangePassword,
        Action::RespondToInvitation,
        Action::CloseAccount,
        Action::RequestAccess,
        Action::CreateOrganization,
        Action::ViewInvitationLink,
        Action::AcceptInvitation,
        Action::ViewOrganization,
        Action::LeaveOrganization,
        Action::ViewMembers,
        Action::InviteMembers,
        Action::ViewInvitations,
        Action::ManageInvitations,
        Action::ManageMembers,
        Action::ViewAccessRequests,
        Action::AnswerAccessRequest,
        Action::ViewContacts,
        Action::ViewPartnerships,
        Action::ManagePartnerships,
        Action::ViewPartnershipTimeline,
        Action::ViewSettings,
        Action::ManageSettings,
        Action::ViewAuditLog,
        Action::ViewBilling,
        Action::ManageBilling,
        Action::TransferOwnership,
        Action::DeleteOrganization,
    ];

    fn scope(self) -> Scope {
        match self {
            Action::SignUp
            | Action::LogIn
            | Action::RequestPasswordReset
            | Action::ResetPassword
            | Action::ViewInvitationLink
            | Action::AcceptInvitation => Scope::Public,
            Action::LogOut
            | Action::ViewAccount
            | Action::UpdateProfile
            | Action::ChangePassword
            | Action::RespondToInvitation
            | Action::CloseAccount
            | Action::RequestAccess
            | Action::CreateOrganization => Scope::OwnAccount,
            _ => Scope::Organization,
        }
    }

    /// What an organization action needs: the module it belongs to (if any)
    /// and the least role. Both must hold.
    pub fn requirement(self) -> Option<(Option<Module>, Role)> {
        use Module::*;
        let needs = |module, role| Some((Some(module), role));
        match self {
            Action::ViewOrganization | Action::LeaveOrganization => Some((None, Role::User)),
            Action::ViewMembers => needs(Members, Role::User),
            Action::InviteMembers
            | Action::ViewInvitations
            | Action::ManageInvitations
            | Action::ManageMembers
            | Action::ViewAccessRequests
            | Action::AnswerAccessRequest => needs(Members, Role::Admin),
            Action::ViewContacts => needs(Contacts, Role::User),
            Action::ViewPartnerships => needs(Partners, Role::User),
            Action::ManagePartnerships | Action::ViewPartnershipTimeline => {
                needs(Partners, Role::BillingAdmin)
            }
            Action::ViewSettings | Action::ManageSettings => needs(Settings, Role::Admin),
            Action::ViewAuditLog => needs(AuditLog, Role::User),
            Action::ViewBilling | Action::ManageBilling => needs(Billing, Role::User),
            Action::TransferOwnership | Action::DeleteOrganization => Some((None, Role::Owner)),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scope {
    Public,
    OwnAccount,
    Organization,
}

/// What the server knows about a membership, for policy decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipFacts {
    pub organization_id: Uuid,
    pub kind: MembershipKind,
    pub role: Role,
    pub status: MemberStatus,
    /// The modules the member can use: the role's own plus grants (see
    /// [`super::module::effective`]).
    pub modules: ModuleSet,
    /// The membership's own id when it is limited to some sub-accounts (`None`:
    /// every sub-account). Lists that belong to sub-accounts then show only what
    /// shares one with it.
    pub sub_account_scope: Option<MembershipId>,
}

/// The person asking, as the server sees them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    /// The actor's membership in the organization the request is about, if any
    /// (whatever organization the caller claims it is in).
    pub membership: Option<MembershipFacts>,
}

impl Actor {
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    pub fn user(user_id: Uuid) -> Actor {
        Actor {
            user_id: Some(user_id),
            membership: None,
        }
    }
}

/// What an action is performed on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Nothing in particular: public actions.
    Nobody,
    /// The account of this user.
    Account(Uuid),
    /// This organization.
    Organization(Uuid),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    NotSignedIn,
    /// Not a member of the target organization (or the target is not theirs).
    NotAMember,
    Deactivated,
    /// A member, but without this module.
    MissingModule(Module),
    /// A member, but the role does not allow it.
    Forbidden,
}

/// Whether a member with role `granter` may give `role` to someone (in an
/// invitation or a role change): owners any role, admins up to admin, nobody
/// else any.
pub fn may_grant_role(granter: Role, role: Role) -> bool {
    match granter {
        Role::Owner => true,
        Role::Admin => role != Role::Owner,
        Role::BillingAdmin | Role::User => false,
    }
}

/// Whether a member sees the people of the organization's partner
/// organizations (in Contacts): its team members do; its partners, who are
/// people of other organizations, gain nothing of its partnerships.
pub fn sees_partner_people(kind: MembershipKind) -> bool {
    match kind {
        MembershipKind::Team => true,
        MembershipKind::Partner => false,
    }
}

/// Whether someone with access to `own` sub-accounts (`None`: all of them) may
/// give access to `grant` (`None`: all of them): nobody gives more than they have.
pub fn may_grant_sub_accounts(own: Option<&[Uuid]>, grant: Option<&[Uuid]>) -> bool {
    match (own, grant) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(own), Some(grant)) => grant.iter().all(|id| own.contains(id)),
    }
}

/// What a member limited to some sub-accounts is told when granting others.
pub const OWN_SUB_ACCOUNTS_ONLY: &str = "You can only give access to sub-accounts you have access to yourself: choose some of yours instead of all.";

/// Why a member may not be changed by this actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberRule {
    /// Only owners change, deactivate or remove an owner.
    OnlyOwnersTouchOwners,
    /// Nobody gives a role above their own (admins never make owners).
    AboveYourRole,
}

impl MemberRule {
    pub fn message(self) -> &'static str {
        match self {
            MemberRule::OnlyOwnersTouchOwners => {
                "Only an owner can change, deactivate or remove an owner."
            }
            MemberRule::AboveYourRole => "You cannot give a role above your own.",
        }
    }
}

/// Whether a member with role `actor` may change a member who holds `current`
/// so that they hold `new` (the same role for deactivation or removal).
pub fn may_change_member(actor: Role, current: Role, new: Role) -> Result<(), MemberRule> {
    if current == Role::Owner && actor != Role::Owner {
        return Err(MemberRule::OnlyOwnersTouchOwners);
    }
    if !may_grant_role(actor, new) {
        return Err(MemberRule::AboveYourRole);
    }
    Ok(())
}

pub fn allowed(actor: &Actor, action: Action, target: &Target) -> Result<(), Denied> {
    match (action.scope(), target) {
        (Scope::Public, Target::Nobody) => Ok(()),
        (Scope::OwnAccount, Target::Account(owner)) => match actor.user_id {
            None => Err(Denied::NotSignedIn),
            Some(user) if user == *owner => Ok(()),
            Some(_) => Err(Denied::Forbidden),
        },
        (Scope::Organization, Target::Organization(org)) => {
            if actor.user_id.is_none() {
                return Err(Denied::NotSignedIn);
            }
            let membership = match actor.membership {
                Some(m) if m.organization_id == *org => m,
                _ => return Err(Denied::NotAMember),
            };
            if membership.status != MemberStatus::Active {
                return Err(Denied::Deactivated);
            }
            let Some((module, min)) = action.requirement() else {
                return Err(Denied::Forbidden);
            };
            if let Some(module) = module.filter(|m| !membership.modules.contains(*m)) {
                return Err(Denied::MissingModule(module));
            }
            if membership.role.rank() >= min.rank() {
                Ok(())
            } else {
                Err(Denied::Forbidden)
            }
        }
        _ => Err(Denied::Forbidden),
    }
}
