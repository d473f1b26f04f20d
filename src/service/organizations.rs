//! What members see of their organization.

use super::authorize;
use crate::auth::actor;
use crate::auth::session::Session;
use crate::db;
use crate::domain::account::{
    OrganizationOverview, OrganizationShell, OrganizationSummary, Viewer,
};
use crate::domain::policy::{Action, Target};
use crate::domain::role::{MemberStatus, MembershipKind, Role};
use crate::error::AppError;
use crate::state::AppState;

const NOT_FOUND: &str = "There is no organization at this address, or you are not a member of it.";

/// The frame of an organization's pages: the viewer, the organization and the
/// viewer's other organizations.
pub async fn shell(
    state: &AppState,
    current: Option<Session>,
    slug: &str,
) -> Result<OrganizationShell, AppError> {
    let Some(current) = current else {
        return Err(AppError::Unauthenticated);
    };
    let org = db::organizations::find_by_slug(&state.db, slug)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let actor = actor::in_organization(&state.db, Some(current), org.id).await?;
    authorize(
        &actor,
        Action::ViewOrganization,
        Target::Organization(org.id),
    )?;
    let membership = actor.membership.ok_or(AppError::Internal)?;
    let user = db::users::find(&state.db, current.user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let (team_members, partners) = db::organizations::member_counts(&state.db, org.id).await?;
    let organizations = db::organizations::for_user(&state.db, current.user_id)
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
