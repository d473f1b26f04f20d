//! What members see of their organization.

use super::authorize;
use crate::auth::actor;
use crate::auth::session::Session;
use crate::db;
use crate::domain::account::{
    OrganizationOverview, OrganizationShell, OrganizationSummary, Viewer,
};
use crate::domain::policy::{Action, MembershipFacts, Target};
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::error::AppError;
use crate::state::AppState;
use uuid::Uuid;

const NOT_FOUND: &str = "There is no organization at this address, or you are not a member of it.";

/// A signed-in member acting in one organization, allowed to perform the action.
pub struct MemberContext {
    pub organization: db::organizations::OrganizationRow,
    pub user_id: Uuid,
    pub membership: MembershipFacts,
}

/// Finds the organization by slug and asks the policy whether the signed-in
/// person may perform `action` in it. An unknown slug and a foreign one read
/// the same, so slugs cannot be probed.
pub async fn member_context(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
    action: Action,
) -> Result<MemberContext, AppError> {
    let Some(current) = current else {
        return Err(AppError::Unauthenticated);
    };
    let organization = db::organizations::find_by_slug(&state.db, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let actor = actor::in_organization(&state.db, Some(current), organization.id).await?;
    authorize(&actor, action, Target::Organization(organization.id))?;
    let membership = actor.membership.ok_or(AppError::Internal)?;
    Ok(MemberContext {
        organization,
        user_id: current.user_id,
        membership,
    })
}

/// The frame of an organization's pages: the viewer, the organization and the
/// viewer's other organizations.
pub async fn shell(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
) -> Result<OrganizationShell, AppError> {
    let MemberContext {
        organization: org,
        user_id,
        membership,
    } = member_context(state, current, slug, Action::ViewOrganization).await?;
    let user = db::users::find(&state.db, user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (team_members, partners) = db::organizations::member_counts(&state.db, org.id).await?;
    let organizations = db::organizations::for_user(&state.db, user_id)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(OrganizationSummary {
                kind: MembershipKind::parse(&row.kind)?,
                role: Role::parse(&row.role)?,
                status: MemberStatus::parse(&row.status)?,
                name: row.name,
                slug: row.slug,
            })
        })
        .collect();
    Ok(OrganizationShell {
        viewer: Viewer {
            name: user.name,
            email: user.email,
            member_since: user.created_at.into(),
        },
        organization: OrganizationOverview {
            name: org.name,
            slug: org.slug,
            created_at: org.created_at.into(),
            your_role: membership.role,
            your_kind: membership.kind,
            team_members,
            partners,
            invitation_lifetime_secs: org.invitation_lifetime_secs,
        },
        organizations,
    })
}
