//! What members see of their organization.

use super::authorize;
use crate::auth::client::Client;
use crate::auth::memo;
use crate::auth::session::Session;
use crate::db;
use crate::db::tx::Tx;
use crate::domain::account::{
    OrganizationOverview, OrganizationShell, OrganizationSummary, Viewer,
};
use crate::domain::audit::AuditAction;
use crate::domain::policy::{Action, Actor, MembershipFacts, Target};
use crate::error::AppError;
use crate::mail::Rendered;
use crate::mail::templates::{MemberNotice, member_notice};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// "Last active" is kept to this precision: one write per member per grain.
const ACTIVITY_GRAIN: chrono::Duration = chrono::Duration::minutes(5);

const NOT_FOUND: &str = "There is no organization at this address, or you are not a member of it.";

/// A signed-in member acting in one organization, allowed to perform the action.
pub struct MemberContext {
    pub organization: db::organizations::OrganizationRow,
    pub user_id: Uuid,
    pub membership: MembershipFacts,
    /// When the member last opened the organization (kept to `ACTIVITY_GRAIN`).
    pub last_active_at: Option<DateTime<Utc>>,
    /// The member's name, email and sign-up time, read with the membership.
    pub visitor: db::organizations::Visitor,
}

impl MemberContext {
    /// Records in the organization's audit trail that the actor did `action`
    /// (to `target`, when it concerns a person), in the change's transaction.
    pub async fn record_in(
        &self,
        tx: &mut Tx,
        client: &Client,
        action: AuditAction,
        target: Option<Uuid>,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        db::audit::record_in(
            tx,
            action,
            db::audit::Event {
                organization_id: Some(self.organization.id),
                actor_user_id: Some(self.user_id),
                target_user_id: target,
                ip: client.ip(),
                details,
                ..Default::default()
            },
        )
        .await?;
        Ok(())
    }

    /// Records an event that is the whole change (an export, say).
    pub async fn record(
        &self,
        state: &AppState,
        client: &Client,
        action: AuditAction,
        target: Option<Uuid>,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        let mut tx = state.db.begin().await?;
        self.record_in(&mut tx, client, action, target, details)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The mail that tells `name` what the actor did to their membership;
    /// queue it in the change's transaction.
    pub fn notice(&self, state: &AppState, notice: MemberNotice, name: &str) -> Rendered {
        let link = state.link(&format!("/o/{}", self.organization.slug));
        member_notice(
            notice,
            name,
            &self.organization.name,
            self.actor_name(),
            &link,
        )
    }

    /// The actor's name, as notices sign it.
    pub fn actor_name(&self) -> &str {
        &self.visitor.name
    }
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
    let visit = memo::visit(state.memo.as_deref(), &state.db, slug, current.user_id)
        .await?
        .ok_or_else(|| AppError::NotFound(NOT_FOUND.into()))?;
    let actor = Actor {
        user_id: Some(current.user_id),
        membership: visit.membership,
    };
    authorize(&actor, action, Target::Organization(visit.organization.id))?;
    let membership = actor.membership.ok_or(AppError::Internal)?;
    let visitor = visit.visitor.ok_or(AppError::Unauthenticated)?;
    Ok(MemberContext {
        organization: visit.organization,
        user_id: current.user_id,
        membership,
        last_active_at: visit.last_active_at,
        visitor,
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
        last_active_at,
        visitor: user,
    } = member_context(state, current, slug, Action::ViewOrganization).await?;
    // A write only when the stored time is a grain old, not on every view.
    let now = db::now();
    if last_active_at.is_none_or(|at| now - at >= ACTIVITY_GRAIN) {
        db::members::touch(&state.db, org.id, user_id, ACTIVITY_GRAIN).await?;
    }
    // Two independent reads, each on its own connection: one round trip, not two.
    let (counts, organizations) = tokio::try_join!(
        memo::frame_counts(state.memo.as_deref(), &state.db, org.id),
        db::organizations::for_user(&state.db, user_id),
    )?;
    let organizations = organizations
        .into_iter()
        .map(OrganizationSummary::from)
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
            your_modules: membership.modules.to_vec(),
            team_members: counts.members.team_active,
            partners: counts.members.partner_active,
            partnerships_waiting: counts.partnerships_waiting,
            invitation_lifetime_secs: org.invitation_lifetime_secs,
        },
        organizations,
    })
}
